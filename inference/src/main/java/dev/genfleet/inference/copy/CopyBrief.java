package dev.genfleet.inference.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a brief-conditioned model writes about, as this library sees it (the worker maps the job
 * contract's brief onto it). Any Unicode letters are allowed.
 *
 * @param product required
 * @param audience required, a plural noun phrase
 * @param benefit required, a noun phrase
 * @param offer the only offer the copy may state; null: none
 * @param tone null: {@value BriefPrompt#DEFAULT_TONE}
 * @param name the recipient's first name, never shown to the model; null: no personal greeting
 */
public record CopyBrief(String product, String audience, String benefit, String offer, String tone, String name) {

    public CopyBrief {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(benefit, "benefit");
    }

    /** The values present, in declaration order (the text the checks strip and count as known words). */
    public List<String> values() {
        List<String> v = new ArrayList<>(List.of(product, audience, benefit));
        for (String s : new String[] {offer, tone, name}) {
            if (s != null) {
                v.add(s);
            }
        }
        return v;
    }
}
