package dev.genfleet.gateway.api.contract;

import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.TextInput;

/**
 * The bounds of the request records as constants (annotations take constants only), each the value
 * {@code submit/JobParser} and the job records of {@code genfleet-schemas} enforce.
 */
final class JobLimits {

    static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
    static final int MAX_TOKENS = TextInput.MAX_TOKENS_LIMIT;
    static final int MAX_STOP_SEQUENCES = TextInput.MAX_STOP_SEQUENCES;
    static final int MAX_TEXT_BEST_OF = TextInput.MAX_BEST_OF;
    static final int MAX_REQUIRED = TextInput.MAX_REQUIRED;
    static final int MAX_IMAGE_COUNT = ImageInput.MAX_COUNT;
    static final int MAX_IMAGE_BEST_OF = ImageInput.MAX_BEST_OF;
    static final int MAX_BRIEF_FIELD = Brief.MAX_FIELD_LENGTH;
    /** A brief string or required string: something other than white space, no control characters. */
    static final String PLAIN_LINE =
            "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$";

    private JobLimits() {}
}
