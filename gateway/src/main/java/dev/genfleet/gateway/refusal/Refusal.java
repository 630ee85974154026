package dev.genfleet.gateway.refusal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Why the gateway refuses a request, in the domain's words: the domain packages throw {@link Refused} carrying
 * one of these and know nothing of HTTP. The {@code api} package alone turns a refusal into a status code, a
 * problem type, headers and members ({@code api/ProblemMappers}), as DJL Serving's workload manager throws typed
 * exceptions that only its {@code InferenceRequestHandler} turns into statuses. {@code ProblemMappersTest} fails
 * for a kind of refusal the edge does not know how to answer.
 */
public sealed interface Refusal {

    /** What went wrong, for the client to read (the problem's {@code detail}); its wording may change. */
    String detail();

    /** The gateway cannot read the request: an unreadable header or body line, an upload cut short. */
    record Malformed(String detail, List<FieldError> errors) implements Refusal {
        public Malformed {
            errors = List.copyOf(errors);
        }

        public Malformed(String detail) {
            this(detail, List.of());
        }
    }

    /** No credential, or one that names no tenant. */
    record Unauthenticated(String detail) implements Refusal {}

    /**
     * Fields fail validation (every offending one is named), an unknown model, a missing or repeated
     * {@code custom_id}.
     *
     * @param duplicates the lines of a streamed upload that repeat a {@code custom_id}, else empty
     */
    record Invalid(String detail, List<FieldError> errors, List<DuplicateLine> duplicates) implements Refusal {
        public Invalid {
            errors = List.copyOf(errors);
            duplicates = List.copyOf(duplicates);
        }

        public Invalid(String detail, List<FieldError> errors) {
            this(detail, errors, List.of());
        }
    }

    /** No such job or campaign of this tenant (or no such thing at all). */
    record NotFound(String detail) implements Refusal {}

    /**
     * The job or campaign is in a state that refuses the call.
     *
     * @param retryAfter when a retry may succeed (an upload running elsewhere), or null when none will
     */
    record Conflict(String detail, Duration retryAfter) implements Refusal {
        public Conflict(String detail) {
            this(detail, null);
        }
    }

    /** A body over a limit. */
    record TooLarge(String detail) implements Refusal {}

    /** An Idempotency-Key used before with another body (or campaign header). */
    record IdempotencyKeyReused(String detail, List<FieldError> errors) implements Refusal {
        public IdempotencyKeyReused {
            errors = List.copyOf(errors);
        }

        public IdempotencyKeyReused(String detail) {
            this(detail, List.of());
        }
    }

    /**
     * The content policy refused a field.
     *
     * @param rule the policy rule that refused it ({@code DENY_TERM}, {@code EMAIL}, …)
     * @param field the refused field and why
     */
    record PolicyRefused(String detail, String rule, FieldError field) implements Refusal {
        public PolicyRefused {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(field, "field");
        }
    }

    /** A request-rate or queued-jobs quota is exhausted; room comes back after {@code retryAfter}. */
    record QuotaExceeded(String detail, Duration retryAfter) implements Refusal {
        public QuotaExceeded {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Kafka did not acknowledge in time, or the view cannot answer yet; a retry after {@code retryAfter} may. */
    record Unavailable(String detail, Duration retryAfter) implements Refusal {
        /** What Kafka or the view usually needs: a second. */
        public static final Duration SOON = Duration.ofSeconds(1);

        public Unavailable {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        public Unavailable(String detail) {
            this(detail, SOON);
        }
    }

    /**
     * A job's output exists but its bytes cannot be served: the claim-checked blob is missing from the blob store or
     * does not match its sha256, no blob store is configured, or its ref names a store the gateway cannot read. The
     * fault is the fleet's (a volume not mounted or not shared, a blob removed), never the client's.
     */
    record OutputUnavailable(String detail) implements Refusal {}

    /**
     * A refusal that concerns a campaign upload already begun: the client learns which campaign and how many of its
     * recipients were accepted, so a retry with the same Idempotency-Key can complete it.
     *
     * @param detail the cause's detail, with what became of the upload
     * @param accepted recipients accepted before the refusal, or null when the upload had not begun
     */
    record OfCampaign(String detail, String campaignId, Long accepted, Refusal cause) implements Refusal {
        public OfCampaign {
            Objects.requireNonNull(campaignId, "campaignId");
            Objects.requireNonNull(cause, "cause");
        }

        /** The refusal of an upload that had not begun: its detail as it is. */
        public static OfCampaign of(String campaignId, Refusal cause) {
            return new OfCampaign(cause.detail(), campaignId, null, cause);
        }
    }

    /** One offending field: a path ({@code input.max_tokens}, {@code recipients[2].custom_id}) and what is wrong. */
    record FieldError(String field, String message) {}

    /** A line of a streamed upload that repeats the {@code custom_id} of line {@code firstLine}. */
    record DuplicateLine(long line, String customId, long firstLine) {}

    /** Fields fail validation: the detail names the one field and its message, or how many and which. */
    static Invalid invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: "
                        + String.join(
                                ", ", errors.stream().map(FieldError::field).toList());
        return new Invalid(detail, errors);
    }

    /** One field fails validation. */
    static Invalid invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }
}
