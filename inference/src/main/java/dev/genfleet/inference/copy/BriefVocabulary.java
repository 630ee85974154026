package dev.genfleet.inference.copy;

import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.text.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tokens of a {@value BriefPrompt#FORMAT} model that decoding masks, found once per model: its
 * control tokens, its merge fields, and the tokens that would state an offer.
 *
 * <p>{@link #mask} bans, per row: the control tokens other than {@value BriefPrompt#END} (and the
 * beginning-of-sequence token when it is another); the merge fields the brief cannot fill
 * ({@value MergeFields#NAME} without a name, {@value MergeFields#OFFER} without an offer); and, without an
 * offer, every token whose text holds a digit (any script), {@code %}, or a currency sign (Unicode
 * category Sc), and every token that is one of the words {@link #OFFER_WORDS} (e.g. " sale", "coupon").
 * A banned token is never sampled, greedy or not ({@link dev.genfleet.inference.text.Sampler}).
 *
 * <p>Not guaranteed by the mask alone: a byte-level tokenizer may spell a currency sign of several bytes
 * (€, £) from byte tokens whose text alone is no sign, and an offer word from smaller pieces ("s" +
 * "ale"); the output checks ({@link CopyChecks}) catch those.
 */
public final class BriefVocabulary {

    /** Whole-token words banned without an offer (case-insensitive, surrounding spaces ignored). */
    public static final Set<String> OFFER_WORDS = Set.of(
            "sale",
            "coupon",
            "coupons",
            "voucher",
            "vouchers",
            "promo",
            "promos",
            "discount",
            "discounts",
            "discounted",
            "bogo",
            "clearance",
            "rebate",
            "rebates",
            "cashback");

    private final TextTokenizer tokenizer;
    private final Map<String, Integer> ids;
    private final TokenMask control;
    private final TokenMask offerTokens;

    private BriefVocabulary(
            TextTokenizer tokenizer, Map<String, Integer> ids, TokenMask control, TokenMask offerTokens) {
        this.tokenizer = tokenizer;
        this.ids = ids;
        this.control = control;
        this.offerTokens = offerTokens;
    }

    /**
     * Reads the tokens from {@code tokenizer}.
     *
     * @throws IllegalArgumentException when a control token or merge field is not one token of its own, or
     *     the end-of-sequence token is not {@value BriefPrompt#END}
     */
    public static BriefVocabulary of(TextTokenizer tokenizer) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> needed = new ArrayList<>(List.of(BriefPrompt.BRIEF, BriefPrompt.COPY, BriefPrompt.END));
        needed.addAll(MergeFields.ALL);
        for (String t : needed) {
            int id = tokenizer.idOf(t);
            int[] encoded = tokenizer.encode(t);
            if (id < 0 || encoded.length != 1 || encoded[0] != id) {
                missing.add(t);
            } else {
                ids.put(t, id);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("prompt_format " + BriefPrompt.FORMAT + " needs each of " + needed
                    + " as one token of the tokenizer (added tokens); these are not: " + missing);
        }
        int end = ids.get(BriefPrompt.END);
        if (tokenizer.eosId() != end) {
            throw new IllegalArgumentException("prompt_format " + BriefPrompt.FORMAT + " needs eos_token \""
                    + BriefPrompt.END + "\" (id " + end + "), the model's end-of-sequence id is " + tokenizer.eosId());
        }
        List<Integer> controlIds = new ArrayList<>(List.of(ids.get(BriefPrompt.BRIEF), ids.get(BriefPrompt.COPY)));
        if (tokenizer.bosId() != end) {
            controlIds.add(tokenizer.bosId());
        }
        List<Integer> offer = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            if (id != end && !ids.containsValue(id) && statesOffer(tokenizer.decode(new int[] {id}))) {
                offer.add(id);
            }
        }
        return new BriefVocabulary(tokenizer, Map.copyOf(ids), TokenMask.of(controlIds), TokenMask.of(offer));
    }

    /** Whether a token's text would state (part of) an offer: a digit, %, a currency sign, an offer word. */
    static boolean statesOffer(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isDigit(cp) || cp == '%' || cp == '％' || Character.getType(cp) == Character.CURRENCY_SYMBOL) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return OFFER_WORDS.contains(text.strip().toLowerCase(Locale.ROOT));
    }

    /** The id of a control token or merge field. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("not a control token or merge field: " + token);
        }
        return id;
    }

    /** The ids banned without an offer because their text would state one. */
    public TokenMask offerTokens() {
        return offerTokens;
    }

    /** What a row for {@code brief} may never sample (see the class comment). */
    public TokenMask mask(CopyBrief brief) {
        TokenMask m = control;
        for (String field : MergeFields.unfillable(brief)) {
            m = m.union(TokenMask.of(id(field)));
        }
        if (brief.offer() == null) {
            m = m.union(offerTokens);
        }
        return m;
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }
}
