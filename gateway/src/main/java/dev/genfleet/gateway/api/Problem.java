package dev.genfleet.gateway.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, served as {@code application/problem+json}.
 *
 * @param errors the offending fields of a validation failure, else empty
 * @param rule the policy rule that refused the input, or null
 * @param extensions further members (RFC 9457 §3.2), e.g. a campaign upload's {@code campaign_id} and
 *        {@code accepted}; written at the top level of the document
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        String rule,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(
            String type,
            String title,
            int status,
            String detail,
            String instance,
            List<FieldError> errors,
            String rule) {
        this(type, title, status, detail, instance, errors, rule, Map.of());
    }

    @JsonAnyGetter
    public Map<String, Object> members() {
        return extensions == null ? Map.of() : extensions;
    }

    /** One offending field: a JSON pointer-ish path ({@code input.max_tokens}) and what is wrong. */
    public record FieldError(String field, String message) {}
}
