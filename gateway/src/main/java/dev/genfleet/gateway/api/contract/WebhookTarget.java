package dev.genfleet.gateway.api.contract;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where a finished job or campaign is delivered. */
@Schema(name = "WebhookTarget", description = "Where the outcome is delivered, signed per Standard Webhooks")
public record WebhookTarget(
        @NotNull
        @Size(min = 1, max = 2000)
        @Schema(
                required = true,
                description = "An absolute http(s) URL without credentials; loopback, link-local and private addresses"
                        + " are refused unless the tenant allows them",
                minLength = 1,
                maxLength = 2000,
                examples = "https://hooks.example.com/genfleet")
        String url) {}
