package dev.genfleet.gateway.api.contract;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code GET /v1/webhooks/default/secret}. */
@Schema(name = "WebhookSecret", description = "The tenant's webhook signing secret")
public record WebhookSecret(
        @Schema(
                required = true,
                description = "The Standard Webhooks signing secret: whsec_ and the base64 key",
                pattern = "^whsec_[A-Za-z0-9+/=]+$",
                examples = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        String key) {}
