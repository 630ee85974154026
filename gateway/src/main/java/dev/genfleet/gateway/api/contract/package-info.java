/**
 * The typed bodies the API answers with: records that Jackson writes as the JSON clients read and that
 * SmallRye OpenAPI turns into the schemas of {@code /q/openapi}, so the document and the body cannot differ.
 * Names are explicit ({@code @JsonProperty}) and absent values are left out ({@code @JsonInclude}), so a body
 * is the same JSON under any mapper that writes it (the REST layer's, the webhook payload's {@code schemas.Json},
 * the NDJSON lines' strict mapper).
 */
package dev.genfleet.gateway.api.contract;
