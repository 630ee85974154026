package dev.genfleet.gateway.submit;

import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.Priority;
import java.time.Instant;
import java.util.Map;

/**
 * A validated job about to be published: defaults filled, seed drawn.
 *
 * @param policyText the text the content policy checks (the rendered prompt), or null for none
 */
public record JobDraft(
        String model,
        ModelRoutes.Route route,
        JobInput input,
        Priority priority,
        Instant deadline,
        String webhookUrl,
        Map<String, String> metadata,
        String policyText,
        String campaignId,
        String customId) {}
