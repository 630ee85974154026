package dev.genfleet.gateway.submit;

import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.Priority;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated job about to be published: defaults filled, seed drawn.
 *
 * @param policyTexts what the content policy checks, in order: each text under the name of the input field it
 *     comes from ({@code prompt}, {@code brief.name}, {@code require[0]}); the first hit refuses the job
 */
public record JobDraft(
        String model,
        ModelRoutes.Route route,
        JobInput input,
        Priority priority,
        Instant deadline,
        String webhookUrl,
        Map<String, String> metadata,
        Map<String, String> policyTexts,
        String campaignId,
        String customId) {

    public JobDraft {
        policyTexts = policyTexts == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policyTexts));
    }
}
