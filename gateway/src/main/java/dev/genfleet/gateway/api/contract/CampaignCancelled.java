package dev.genfleet.gateway.api.contract;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The 202 of {@code POST /v1/campaigns/{id}/cancel}. */
@Schema(name = "CampaignCancelled", description = "A cancel was published for every unfinished job of the campaign")
public record CampaignCancelled(
        @Schema(required = true, description = "The campaign id", examples = "5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10")
        String id,

        @Schema(
                required = true,
                description = "Always CANCELLING: queued jobs end CANCELLED, started ones as their worker decides",
                enumeration = "CANCELLING",
                examples = "CANCELLING")
        String status,

        @Schema(required = true, description = "Unfinished jobs a cancel was sent for", minimum = "1", examples = "42")
        long cancelled) {

    public static CampaignCancelled of(String id, long cancelled) {
        return new CampaignCancelled(id, "CANCELLING", cancelled);
    }
}
