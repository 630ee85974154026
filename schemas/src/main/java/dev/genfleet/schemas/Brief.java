package dev.genfleet.schemas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy brief: what a brief-conditioned text model writes about. The model writes the frame; the
 * worker fills its merge fields ({@code {{product}}}, {@code {{name}}}, …) from these strings, so they
 * appear verbatim. Any Unicode letters are allowed.
 *
 * @param product what is advertised (required), e.g. "Nimbus Pillow"
 * @param audience who it is for, a plural noun phrase (required), e.g. "light sleepers"
 * @param benefit what it gives, a noun phrase (required), e.g. "deeper sleep"
 * @param offer the only offer the copy may state, e.g. "20% off your first order"; null: none
 * @param tone e.g. friendly, bold, playful, luxurious, calm, urgent, professional, warm; null: the
 *     model's default
 * @param name the recipient's first name; null: no personal greeting
 */
public record Brief(String product, String audience, String benefit, String offer, String tone, String name) {

    public static final int MAX_FIELD_LENGTH = 200;

    public Brief {
        product = field("brief.product", product, true);
        audience = field("brief.audience", audience, true);
        benefit = field("brief.benefit", benefit, true);
        offer = field("brief.offer", offer, false);
        tone = field("brief.tone", tone, false);
        name = field("brief.name", name, false);
    }

    /** The fields that are present, by their JSON name, in declaration order. */
    public Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("product", product);
        m.put("audience", audience);
        m.put("benefit", benefit);
        if (offer != null) {
            m.put("offer", offer);
        }
        if (tone != null) {
            m.put("tone", tone);
        }
        if (name != null) {
            m.put("name", name);
        }
        return m;
    }

    private static String field(String json, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new NullPointerException(json + ": required");
            }
            return null;
        }
        Checks.required(json, value);
        Checks.range(json + " length", value.length(), 1, MAX_FIELD_LENGTH);
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(json + ": must not contain control characters");
            }
        }
        return value;
    }
}
