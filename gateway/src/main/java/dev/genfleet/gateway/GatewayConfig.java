package dev.genfleet.gateway;

import dev.genfleet.schemas.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every gateway setting, with its default. Prefix {@code genfleet.gateway}. */
@ConfigMapping(prefix = "genfleet.gateway")
public interface GatewayConfig {

    /** Topic names; defaults are {@link Topics}' (the AsyncAPI document's), declared nowhere else. */
    TopicsConfig topics();

    /**
     * How readiness judges the Kafka clients. Where and how they connect is not here: every client takes that
     * from Quarkus' {@code kafka.*} settings (see {@code kafka/KafkaClients}).
     */
    KafkaHealthConfig kafka();

    /** Static model → pool routes; announcements on the models topic add to and override them. */
    Map<String, StaticModel> models();

    Auth auth();

    Limits limits();

    PolicyConfig policy();

    Webhooks webhooks();

    /** The status view's identity and local state (see {@code status/DESIGN.md}). */
    View view();

    /** Where claim-checked images are read (gateway README, "Claim-checked images"). */
    Blobs blobs();

    /** Per-tenant overrides of the limits (quotas, private webhook hosts), by tenant id. */
    Map<String, TenantOverrides> tenants();

    /** Create missing topics at startup from the AsyncAPI catalog (local mode, tests). */
    @WithName("create-topics")
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of topics the gateway creates; empty = the AsyncAPI document's count. */
    @WithName("create-topics-partitions")
    Optional<Integer> createTopicsPartitions();

    /** Milliseconds to wait for Kafka to acknowledge a record before answering 503. */
    @WithName("ack-timeout-ms")
    @WithDefault("15000")
    long ackTimeoutMs();

    /** Allow webhook URLs on loopback and private networks (local mode). */
    @WithName("webhooks-allow-private")
    @WithDefault("false")
    boolean webhooksAllowPrivate();

    interface Blobs {
        /**
         * The blob store's directory, shared with the image workers ({@code genfleet.worker.blobs.dir}; the local
         * fleet: {@code .genfleet/data/blobs}; the chart: a ReadWriteMany volume). Unset: a claim-checked image whose
         * ref is a {@code blob:} ref cannot be served (502 {@code output-unavailable}).
         */
        Optional<String> dir();
    }

    interface View {
        /**
         * This replica's stable identity: the view's Kafka Streams application id is
         * {@code genfleet-gateway-view-<replica-id>}, its state lives in {@code <state.dir>/<that id>} and is reused
         * at the next start. Letters, digits, '.', '_' and '-', at most 64. Unset: an ephemeral identity per start,
         * whose state is removed at shutdown (every start replays the whole log). The local fleet passes
         * {@code local}; the chart passes the StatefulSet pod name.
         */
        @WithName("replica-id")
        Optional<String> replicaId();

        /**
         * How long a replica without usable state may try to reset its consumer group (so that it replays from the
         * beginning) before its start fails, in ms.
         */
        @WithName("reset-timeout-ms")
        @WithDefault("120000")
        long resetTimeoutMs();
    }

    interface KafkaHealthConfig {
        /**
         * How long Kafka may be unreachable (timeouts, lost connections) before this replica reports unready, in
         * ms. Shorter outages keep it in the Service (requests answer 503 with Retry-After meanwhile), so a
         * broker restart does not pull every replica out at once. Refused credentials or ACLs count at once.
         */
        @WithName("unreachable-grace-ms")
        @WithDefault("60000")
        long unreachableGraceMs();

        /** How often the producer and a probe admin client check that Kafka answers and lets them in, in ms. */
        @WithName("probe-interval-ms")
        @WithDefault("5000")
        long probeIntervalMs();
    }

    interface TopicsConfig {
        @WithDefault(Topics.DEFAULT_JOBS_PREFIX)
        String jobsPrefix();

        @WithDefault(Topics.DEFAULT_RESULTS)
        String results();

        @WithDefault(Topics.DEFAULT_AUDIT)
        String audit();

        @WithDefault(Topics.DEFAULT_DEAD_LETTERS)
        String deadLetters();

        @WithDefault(Topics.DEFAULT_CONTROL)
        String control();

        @WithDefault(Topics.DEFAULT_MODELS)
        String models();
    }

    interface StaticModel {
        /** Worker pool hosting the model (topic {@code genfleet.jobs.<pool>.<priority>}). */
        String pool();

        /** {@code text} or {@code image}. */
        String modality();
    }

    interface Auth {
        /** SHA-256 (lowercase hex) of an API key → tenant id. */
        Map<String, String> keys();

        /** A mounted file of {@code <sha256-hex> <tenant>} lines (comments with '#'). */
        @WithName("keys-file")
        Optional<String> keysFile();
    }

    interface Limits {
        /** Largest accepted JSON body of a job, in bytes. */
        @WithName("max-body-bytes")
        @WithDefault("65536")
        int maxBodyBytes();

        /** Largest accepted prompt or template, in characters. */
        @WithName("max-prompt-chars")
        @WithDefault("8000")
        int maxPromptChars();

        /** Largest JSON campaign body (recipients inline), in bytes; larger lists go as NDJSON. */
        @WithName("max-campaign-json-bytes")
        @WithDefault("4194304")
        int maxCampaignJsonBytes();

        /** Largest single NDJSON line, in bytes. */
        @WithName("max-ndjson-line-bytes")
        @WithDefault("65536")
        int maxNdjsonLineBytes();

        /** Most recipients in one campaign. */
        @WithName("max-recipients")
        @WithDefault("1000000")
        int maxRecipients();

        /** Most records a campaign upload keeps in flight to Kafka (bounds gateway memory). */
        @WithName("campaign-in-flight")
        @WithDefault("2000")
        int campaignInFlight();

        /** Requests per second per tenant (token bucket refill); 0 = unlimited. */
        @WithName("requests-per-second")
        @WithDefault("0")
        double requestsPerSecond();

        /** Burst size of the per-tenant token bucket. */
        @WithDefault("50")
        int burst();

        /** Most jobs per tenant submitted but not finished (a campaign counts its recipients); 0 = unlimited. */
        @WithName("max-queued")
        @WithDefault("0")
        long maxQueued();

        /** Retry-After seconds answered when the queued-jobs quota is full. */
        @WithName("queued-retry-after-seconds")
        @WithDefault("5")
        int queuedRetryAfterSeconds();

        /**
         * Lease of a campaign upload: an upload whose replica published no renewal for this long (local time of
         * the replica that notices) is marked INCOMPLETE by whichever replica is alive. Renewed every third of it.
         */
        @WithName("campaign-lease-ms")
        @WithDefault("30000")
        long campaignLeaseMs();
    }

    interface TenantOverrides {
        @WithName("requests-per-second")
        Optional<Double> requestsPerSecond();

        Optional<Integer> burst();

        @WithName("max-queued")
        Optional<Long> maxQueued();

        /** Allow this tenant's webhooks on loopback and private networks. */
        @WithName("webhooks-allow-private")
        Optional<Boolean> webhooksAllowPrivate();
    }

    /** Signed webhook delivery (Standard Webhooks); see webhook/DESIGN.md. */
    interface Webhooks {
        /** Deliver webhooks from this replica (it joins the delivery consumer group). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Master secret the per-tenant signing secrets are derived from (HMAC-SHA256 of the tenant id);
         * every replica needs the same value. Without it a random one is drawn at start (secrets then
         * change at every restart).
         */
        @WithName("master-secret")
        Optional<String> masterSecret();

        /** Explicit signing secrets ({@code whsec_<base64>}) by tenant id; they win over derived ones. */
        Map<String, String> secrets();

        /** Kafka consumer group whose partition ownership decides which replica delivers. */
        @WithName("group-id")
        @WithDefault("genfleet-gateway-webhooks")
        String groupId();

        /** Delivery attempts per message, first one included. */
        @WithName("max-attempts")
        @WithDefault("6")
        int maxAttempts();

        /** Delay before the first retry in ms; doubled for each further retry. */
        @WithName("backoff-ms")
        @WithDefault("1000")
        long backoffMs();

        /**
         * Deadline of one attempt in ms, from its start to the end of the response body (address check,
         * connect, request, headers and body): a receiver that answers slowly or drips its body is cut off.
         */
        @WithName("timeout-ms")
        @WithDefault("10000")
        long timeoutMs();

        /**
         * How long the status view may lag behind a finished job before this replica warns (and counts it in
         * {@code genfleet_webhooks_view_overdue}), in ms. The delivery keeps waiting: it is never dropped
         * because the view lags.
         */
        @WithName("view-wait-ms")
        @WithDefault("30000")
        long viewWaitMs();

        /**
         * Attempts in flight at once per receiver (tenant and the URL's scheme, host and port); further
         * deliveries to it queue, so a slow receiver holds only its own slots, never another's.
         */
        @WithName("concurrency-per-endpoint")
        @WithDefault("4")
        int concurrencyPerEndpoint();
    }

    interface PolicyConfig {
        /** Case-insensitive whole-word terms a prompt must not contain. */
        @WithName("deny-terms")
        Optional<List<String>> denyTerms();

        /** Regular expressions a prompt must not match. */
        @WithName("deny-patterns")
        Optional<List<String>> denyPatterns();

        @WithName("detect-email")
        @WithDefault("true")
        boolean detectEmail();

        @WithName("detect-phone")
        @WithDefault("true")
        boolean detectPhone();

        @WithName("detect-card")
        @WithDefault("true")
        boolean detectCard();
    }

    default dev.genfleet.schemas.Topics toTopics() {
        TopicsConfig t = topics();
        return new dev.genfleet.schemas.Topics(
                t.jobsPrefix(), t.results(), t.audit(), t.deadLetters(), t.control(), t.models());
    }
}
