package dev.genfleet.gateway.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document, served as {@code application/problem+json}.
 *
 * @param errors the offending fields of a validation failure, else empty
 * @param rule the policy rule that refused the input, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
        String rule) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field: a JSON pointer-ish path ({@code input.max_tokens}) and what is wrong. */
    public record FieldError(String field, String message) {}
}
