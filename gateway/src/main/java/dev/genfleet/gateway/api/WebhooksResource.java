package dev.genfleet.gateway.api;

import dev.genfleet.gateway.api.contract.WebhookSecret;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.gateway.webhook.WebhookSecrets;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's webhook signing secret, for verifying deliveries (Standard Webhooks). */
@Path("/v1/webhooks")
@Tag(name = "webhooks")
@SecurityRequirement(name = "apiKey")
public class WebhooksResource {

    /** The one endpoint every tenant has: all its job and campaign webhooks are signed with its secret. */
    public static final String DEFAULT_ENDPOINT = "default";

    @Inject
    CurrentTenant tenant;

    @Inject
    WebhookSecrets secrets;

    @GET
    @Path("/{endpoint}/secret")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The signing secret of the tenant's webhooks: {\"key\": \"whsec_…\"}",
            description = "Deliveries carry webhook-id, webhook-timestamp and webhook-signature"
                    + " (v1,<base64 HMAC-SHA256 over id.timestamp.body>), per standardwebhooks.com.")
    public WebhookSecret secret(@PathParam("endpoint") String endpoint) {
        if (!DEFAULT_ENDPOINT.equals(endpoint)) {
            throw Refused.notFound("no webhook endpoint '" + endpoint + "'; use 'default'");
        }
        return new WebhookSecret(secrets.secret(tenant.id()));
    }
}
