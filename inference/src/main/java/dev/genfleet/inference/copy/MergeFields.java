package dev.genfleet.inference.copy;

import java.util.ArrayList;
import java.util.List;

/**
 * The merge fields a brief-conditioned model writes instead of the brief's own words, each one token of
 * its vocabulary: {@value #NAME}, {@value #PRODUCT}, {@value #AUDIENCE}, {@value #BENEFIT},
 * {@value #OFFER}. Filling them from the brief makes names, products and offers exact by construction.
 */
public final class MergeFields {

    public static final String NAME = "{{name}}";
    public static final String PRODUCT = "{{product}}";
    public static final String AUDIENCE = "{{audience}}";
    public static final String BENEFIT = "{{benefit}}";
    public static final String OFFER = "{{offer}}";
    public static final List<String> ALL = List.of(NAME, PRODUCT, AUDIENCE, BENEFIT, OFFER);

    private MergeFields() {}

    /** The brief's text for {@code field}, or null when the brief has none (no name, no offer). */
    public static String value(String field, CopyBrief brief) {
        return switch (field) {
            case NAME -> brief.name();
            case PRODUCT -> brief.product();
            case AUDIENCE -> brief.audience();
            case BENEFIT -> brief.benefit();
            case OFFER -> brief.offer();
            default -> throw new IllegalArgumentException("not a merge field: " + field);
        };
    }

    /** The fields {@code brief} cannot fill (the decoding mask bans them). */
    public static List<String> unfillable(CopyBrief brief) {
        List<String> out = new ArrayList<>();
        for (String f : ALL) {
            if (value(f, brief) == null) {
                out.add(f);
            }
        }
        return out;
    }

    /** The merge fields that occur in {@code text}, in {@link #ALL}'s order. */
    public static List<String> in(String text) {
        return ALL.stream().filter(text::contains).toList();
    }

    /**
     * Replaces every merge field in {@code copy} with the brief's text, in one left-to-right pass: a
     * value that itself looks like a merge field (a product called "{{name}}") is inserted as written and
     * never filled again. A field the brief cannot fill stays as it is (the mask keeps the model from
     * writing one; the worker refuses an opening that holds one).
     */
    public static String fill(String copy, CopyBrief brief) {
        StringBuilder out = new StringBuilder(copy.length() + 32);
        int i = 0;
        while (i < copy.length()) {
            int open = copy.indexOf("{{", i);
            if (open < 0) {
                break;
            }
            String field = null;
            for (String f : ALL) {
                if (copy.startsWith(f, open)) {
                    field = f;
                    break;
                }
            }
            String value = field == null ? null : value(field, brief);
            if (value == null) {
                int next = field == null ? open + 1 : open + field.length();
                out.append(copy, i, next);
                i = next;
            } else {
                out.append(copy, i, open).append(value);
                i = open + field.length();
            }
        }
        return out.append(copy, i, copy.length()).toString();
    }
}
