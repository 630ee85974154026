package dev.genfleet.gateway.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** OpenAPI document header: served at {@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "genfleet gateway",
                        version = "v1",
                        description =
                                "Jobs and campaigns over Kafka. Every /v1 call needs 'Authorization: Bearer <api key>'."
                                        + " Errors are application/problem+json (RFC 9457)."))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class ApiDocs extends Application {}
