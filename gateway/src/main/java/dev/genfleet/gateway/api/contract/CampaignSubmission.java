package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON body of {@code POST /v1/campaigns}; the NDJSON form's first line is the same without {@code recipients}.
 * A recipient's own mistakes reject that recipient, never the campaign, so the recipients are not validated with
 * the header (only their {@code custom_id}s, which must be present and unique).
 */
@Schema(
        name = "CampaignSubmission",
        description = "A campaign: one template, many recipients. Unknown members are refused (422).")
public record CampaignSubmission(
        @NotNull
        @Size(min = 1, max = 200)
        @Schema(
                required = true,
                description = "The campaign's name",
                minLength = 1,
                maxLength = 200,
                examples = "spring")
        String name,

        @NotNull
        @Size(min = 1, max = 200)
        @Schema(
                required = true,
                description = "A text model; GET /v1/models lists them",
                minLength = 1,
                maxLength = 200,
                examples = "copywriter")
        String model,

        @NotNull @Valid @Schema(required = true, description = "What every recipient's job says")
        Template template,

        @Size(max = 100)
        @Schema(
                description = "Variables shared by every recipient (a recipient's vars win): up to 100, keys of 1 to"
                        + " 64 characters, values of at most 2000",
                maxProperties = 100,
                examples = "{\"product\": \"Nimbus Pillow\"}")
        Map<String, @Size(max = 2000) String> params,

        @Valid @Schema(description = "Generation settings and checks every job shares")
        Input input,

        @Pattern(regexp = "^(interactive|bulk)$")
        @Schema(
                description = "Campaigns default to bulk, so interactive jobs are served first",
                enumeration = {"interactive", "bulk"},
                defaultValue = "bulk",
                examples = "bulk")
        String priority,

        @JsonProperty("ttl_seconds")
        @Min(1)
        @Max(JobLimits.MAX_TTL_SECONDS)
        @Schema(
                description = "Seconds until a job expires unless a worker started it",
                minimum = "1",
                maximum = "604800",
                examples = "86400")
        Long ttlSeconds,

        @Valid @Schema(description = "Where campaign.finished is delivered")
        WebhookTarget webhook,

        @Size(max = 32)
        @Schema(
                description =
                        "Up to 32 entries, keys of 1 to 64 characters, values of at most 512; kept with every" + " job",
                maxProperties = 32,
                examples = "{\"batch\": \"2026-03\"}")
        Map<String, @Size(max = 512) String> metadata,

        @NotNull
        @Size(max = 1_000_000)
        @Schema(
                required = true,
                description = "One per job; custom_id required and unique (a missing or repeated one refuses the"
                        + " campaign). At most limits.max-recipients (1000000 unless configured)",
                maxItems = 1_000_000)
        List<Recipient> recipients) {

    /** The template: a prompt, a brief, or both, holding {{variables}}. */
    @Schema(
            name = "CampaignTemplate",
            description = "A prompt, a brief or both; {{variable}} is filled per recipient from vars, then params."
                    + " prompt is required unless there is a brief")
    public record Template(
            @Size(min = 1, max = 8000)
            @Schema(
                    description = "A Mustache template restricted to {{variable}}; at most limits.max-prompt-chars"
                            + " characters (8000 unless configured)",
                    minLength = 1,
                    maxLength = 8000,
                    examples = "Hi {{first_name}}, meet {{product}}.")
            String prompt,

            @Valid @Schema(description = "A brief whose strings are templates")
            BriefTemplate brief) {}

    /** A brief whose strings are templates; what each renders to is checked per recipient. */
    @Schema(
            name = "CampaignBriefTemplate",
            description = "The fields of a brief, each a template of 1 to 2000 characters; rendered, a field must be"
                    + " 1 to 200 characters without control characters, else the recipient is rejected")
    public record BriefTemplate(
            @NotNull
            @Size(min = 1, max = 2000)
            @Schema(required = true, description = "The product", examples = "{{product}}")
            String product,

            @NotNull
            @Size(min = 1, max = 2000)
            @Schema(required = true, description = "Who it is for", examples = "{{audience}}")
            String audience,

            @NotNull
            @Size(min = 1, max = 2000)
            @Schema(required = true, description = "What it does for them", examples = "{{benefit}}")
            String benefit,

            @Size(min = 1, max = 2000)
            @Schema(description = "The offer; left out for a recipient lacking its variables", examples = "{{offer}}")
            String offer,

            @Size(min = 1, max = 2000) @Schema(description = "The tone of voice", examples = "warm")
            String tone,

            @Size(min = 1, max = 2000)
            @Schema(description = "The recipient's name; left out when it lacks one", examples = "{{first_name}}")
            String name) {}

    /** The settings and checks of every job: a text job's input without prompt and brief (the template's). */
    @Schema(name = "CampaignInput", description = "Generation settings and checks every job of the campaign shares")
    public record Input(
            @JsonProperty("max_tokens")
            @Min(1)
            @Max(JobLimits.MAX_TOKENS)
            @Schema(description = "Tokens to generate at most", defaultValue = "256", examples = "80")
            Integer maxTokens,

            @DecimalMin("0.0")
            @DecimalMax("5.0")
            @Schema(description = "Sampling temperature", defaultValue = "1", examples = "0.8")
            Double temperature,

            @JsonProperty("top_k")
            @Min(0)
            @Max(100_000)
            @Schema(description = "Sample from the k likeliest tokens; 0: all", defaultValue = "0", examples = "40")
            Integer topK,

            @JsonProperty("top_p")
            @DecimalMin("0.0")
            @DecimalMax("1.0")
            @Schema(description = "Nucleus sampling mass", defaultValue = "1", examples = "0.95")
            Double topP,

            @Size(max = JobLimits.MAX_STOP_SEQUENCES)
            @Schema(
                    description = "Strings (1 to 200 characters) that end the output",
                    maxItems = JobLimits.MAX_STOP_SEQUENCES,
                    examples = "[\"\\n\"]")
            List<@Size(min = 1, max = 200) String> stop,

            @Schema(description = "The seed of every job; default: each job's own, from its id", examples = "42")
            Long seed,

            @Size(max = JobLimits.MAX_REQUIRED)
            @Schema(
                    description = "Strings every output must contain; {{variables}} allowed",
                    maxItems = JobLimits.MAX_REQUIRED,
                    examples = "[\"{{product}}\"]")
            List<@Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD) String> require,

            @JsonProperty("forbid_unstated_offers")
            @Schema(description = "No offer the brief does not state; default true with a brief", examples = "true")
            Boolean forbidUnstatedOffers,

            @JsonProperty("best_of")
            @Min(1)
            @Max(JobLimits.MAX_TEXT_BEST_OF)
            @Schema(description = "Candidates drawn until one passes", defaultValue = "1", examples = "4")
            Integer bestOf,

            @Pattern(regexp = "^(strict|best_effort)$")
            @Schema(
                    description = "strict or best_effort",
                    enumeration = {"strict", "best_effort"},
                    defaultValue = "strict",
                    examples = "strict")
            String quality) {}

    /** One recipient: its id and its variables. */
    @Schema(name = "CampaignRecipient", description = "One recipient; its own mistakes reject it, not the campaign")
    public record Recipient(
            @JsonProperty("custom_id")
            @NotNull
            @Size(min = 1, max = 200)
            @Schema(
                    required = true,
                    description = "Unique within the campaign; the job id derives from (campaign, custom_id)",
                    minLength = 1,
                    maxLength = 200,
                    examples = "r-1")
            String customId,

            @Size(max = 100)
            @Schema(
                    description = "The recipient's variables: up to 100, keys of 1 to 64 characters, values of at"
                            + " most 2000",
                    maxProperties = 100,
                    examples = "{\"first_name\": \"Lena\"}")
            Map<String, String> vars) {}
}
