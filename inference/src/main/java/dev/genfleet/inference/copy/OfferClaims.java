package dev.genfleet.inference.copy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds offer claims in English copy: percentages, prices and amounts in any currency sign or a common
 * currency word, "N off", "half price", discount words, promo/coupon/voucher codes (also a bare code such
 * as {@code SPRESH50}), free shipping/delivery/returns/gifts/trials, "sale", "BOGO"/"buy one get one"/"2
 * for 1", and "special/exclusive/limited-time offer". Case-insensitive, Unicode-aware.
 *
 * <p>A claim is <em>stated</em> by an offer text when the offer makes the same claim: the same
 * percentage, amount (same currency), code, free thing, sale or multi-buy ({@link Claim#key()}); a
 * generic claim ("discount", "coupon", "for free", a bare currency sign) is stated by any offer of its
 * kind ("discount" by a percentage, "N off" or "save $N", not by a bare price), and "special offer" by any
 * offer at all. {@link #unstated} first removes the brief's own field
 * values from the text, so a product called "Model 3 Kettle" or "Free Spirit Sandals", or a benefit
 * "12-hour warmth", is never taken for an offer.
 *
 * <p>Not guaranteed: this is a pattern list for English, not understanding. Claims in words it does not
 * list ("pay less", "two months on us"), numbers spelled out ("twenty percent") and other languages pass
 * unseen; the decoding mask (no digits, {@code %} or currency signs without an offer) and the model's
 * training carry the rest.
 */
public final class OfferClaims {

    /** What a claim promises. */
    public enum Kind {
        /** A percentage, "N off", "half price", a discount word. */
        DISCOUNT,
        /** An amount of money, or a bare currency sign. */
        PRICE,
        /** A promo, coupon or voucher code. */
        CODE,
        /** Something free: shipping, returns, a gift, a trial. */
        FREE,
        /** A sale. */
        SALE,
        /** Buy one get one, 2 for 1, 3 for 2. */
        MULTI_BUY,
        /** "Special offer", "limited-time offer": an offer of some kind. */
        OFFER
    }

    /**
     * @param key what exactly is claimed, normalized ({@code 20%}, {@code $15}, {@code code SAVE20},
     *     {@code free shipping}, {@code sale}), or null for a generic claim of its kind
     * @param text the claim as it appears in the text
     */
    public record Claim(Kind kind, String key, String text, int start, int end) {}

    private record Rule(Pattern pattern, Function<MatchResult, Claim> claim) {}

    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;
    private static final String NUM = "(\\d+(?:[.,]\\d+)*)";
    private static final String CURRENCY_WORD = "(?:usd|eur|gbp|dollars?|bucks|euros?|pounds?|quid|cents?|pence|yen)";

    private static final List<Rule> RULES = List.of(
            rule(
                    NUM + "\\s*(?:%|％|percent\\b|per\\s+cent\\b|pct\\b)",
                    m -> claim(m, Kind.DISCOUNT, num(m.group(1)) + "%")),
            rule("[%％]", m -> claim(m, Kind.DISCOUNT, null)),
            rule("\\bhalf[\\s-]*(?:price[ds]?|off)\\b", m -> claim(m, Kind.DISCOUNT, "50%")),
            rule("(\\p{Sc})\\s?" + NUM, m -> claim(m, Kind.PRICE, currency(m.group(1)) + num(m.group(2)))),
            rule(
                    NUM + "\\s?(\\p{Sc}|" + CURRENCY_WORD + "\\b)",
                    m -> claim(m, Kind.PRICE, currency(m.group(2)) + num(m.group(1)))),
            rule("\\p{Sc}", m -> claim(m, Kind.PRICE, null)),
            rule("\\b" + NUM + "\\s+off\\b", m -> claim(m, Kind.DISCOUNT, num(m.group(1)) + " off")),
            rule("\\bsave\\s+(?:up\\s+to\\s+)?(?=\\p{Sc}|\\d)", m -> claim(m, Kind.DISCOUNT, null)),
            rule(
                    "\\b(?:discount(?:s|ed)?|markdowns?|marked\\s+down|rebates?|cash\\s*back|clearance|price\\s+(?:drops?|cuts?)"
                            + "|reduced\\s+prices?|lowest\\s+prices?|promos?|promotional\\s+prices?|save\\s+big)\\b",
                    m -> claim(m, Kind.DISCOUNT, null)),
            rule(
                    "\\b(?:promo(?:tional)?\\s+codes?|coupon(?:\\s+codes?)?s?|discount\\s+codes?|vouchers?"
                            + "|(?:use|enter|apply)\\s+(?:the\\s+|our\\s+)?code)\\b",
                    m -> claim(m, Kind.CODE, null)),
            new Rule(
                    Pattern.compile(
                            "(?i:\\bcode)\\s*:?\\s*([A-Z0-9][A-Z0-9-]{2,})\\b", Pattern.UNICODE_CHARACTER_CLASS),
                    m -> claim(m, Kind.CODE, "code " + m.group(1))),
            new Rule(
                    Pattern.compile("\\b([A-Z]{3,}\\d{2,4})\\b", Pattern.UNICODE_CHARACTER_CLASS),
                    m -> claim(m, Kind.CODE, "code " + m.group(1))),
            rule(
                    "\\bfree\\s+(shipping|delivery|postage|returns?|gifts?|trials?|samples?|upgrades?|installation"
                            + "|accessor(?:y|ies)|bonus(?:es)?|p\\s*&\\s*p)\\b",
                    m -> claim(m, Kind.FREE, "free " + freeThing(m.group(1)))),
            rule(
                    "\\b(?:ships?|shipped|delivered|delivery\\s+is|shipping\\s+is)\\s+free\\b",
                    m -> claim(m, Kind.FREE, "free shipping")),
            rule(
                    "\\b(?:for\\s+free|free\\s+of\\s+charge|free\\s+with|at\\s+no\\s+(?:extra\\s+|additional\\s+)?(?:cost|charge)"
                            + "|on\\s+the\\s+house|complimentary)\\b",
                    m -> claim(m, Kind.FREE, null)),
            rule("\\b(?:sales?\\s+event|(?:on\\s+)?sale)\\b", m -> claim(m, Kind.SALE, "sale")),
            rule(
                    "\\b(?:bogof?|buy\\s+one[,\\s]+get\\s+one|(?:2|two)[\\s-]*for[\\s-]*(?:1|one))\\b",
                    m -> claim(m, Kind.MULTI_BUY, "buy one get one")),
            rule("\\b(?:3|three)[\\s-]*for[\\s-]*(?:2|two)\\b", m -> claim(m, Kind.MULTI_BUY, "3 for 2")),
            rule(
                    "\\b(?:special|exclusive|limited[\\s-]+time|introductory|today'?s?\\s+only)\\s+(?:offer|deal|price|pricing)s?\\b",
                    m -> claim(m, Kind.OFFER, null)));

    private OfferClaims() {}

    private static Rule rule(String regex, Function<MatchResult, Claim> claim) {
        return new Rule(Pattern.compile(regex, CI), claim);
    }

    private static Claim claim(MatchResult m, Kind kind, String key) {
        return new Claim(kind, key, m.group(), m.start(), m.end());
    }

    /** Every claim in {@code text}, by position; claims may overlap ("$20 off" is an amount and "20 off"). */
    public static List<Claim> find(String text) {
        List<Claim> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(text);
            while (m.find()) {
                out.add(r.claim().apply(m.toMatchResult()));
            }
        }
        out.sort(Comparator.comparingInt(Claim::start).thenComparing(c -> -c.end()));
        return out;
    }

    /**
     * The offer claims of {@code output} that {@code stated} does not state, as they appear, in order of
     * appearance, without repeats.
     *
     * @param stated the text whose claims are allowed: the brief's offer, or without a brief the prompt;
     *     null = none
     * @param offerGiven whether an offer is given at all (then a generic "special offer" is stated)
     * @param strip the brief's field values, removed from {@code output} (case-insensitively) first
     */
    public static List<String> unstated(String output, String stated, boolean offerGiven, List<String> strip) {
        List<Claim> allowed = find(stated);
        Set<String> keys = new LinkedHashSet<>();
        Set<Kind> kinds = new LinkedHashSet<>();
        for (Claim c : allowed) {
            kinds.add(c.kind());
            if (c.key() != null) {
                keys.add(c.key());
            }
        }
        String text = stripValues(output, strip);
        List<Claim> claims = find(text);
        // a generic claim that overlaps an exact one ("use code" in "use code SAVE20") is judged by it
        List<Claim> judged = claims.stream()
                .filter(c -> c.key() != null
                        || claims.stream()
                                .noneMatch(k -> k.key() != null && k.start() < c.end() && c.start() < k.end()))
                .toList();
        // overlapping unstated claims are reported as one span of the text ("$20 off", not "$20" and "20 off")
        Set<String> out = new LinkedHashSet<>();
        int spanStart = -1;
        int spanEnd = -1;
        for (Claim c : judged) {
            boolean ok;
            if (c.key() != null) {
                ok = keys.contains(c.key());
            } else {
                ok = switch (c.kind()) {
                    case OFFER -> offerGiven;
                    default -> kinds.contains(c.kind());
                };
            }
            if (ok) {
                continue;
            }
            if (c.start() < spanEnd) {
                spanEnd = Math.max(spanEnd, c.end());
            } else {
                if (spanStart >= 0) {
                    out.add(text.substring(spanStart, spanEnd).strip());
                }
                spanStart = c.start();
                spanEnd = c.end();
            }
        }
        if (spanStart >= 0) {
            out.add(text.substring(spanStart, spanEnd).strip());
        }
        return List.copyOf(out);
    }

    /** {@code text} with every occurrence of each value (longest first, any case) replaced by a line break. */
    static String stripValues(String text, List<String> values) {
        if (values == null || values.isEmpty()) {
            return text;
        }
        List<String> sorted = values.stream()
                .filter(v -> v != null && !v.isBlank())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        String out = text;
        for (String v : sorted) {
            out = Pattern.compile(Pattern.quote(v), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                    .matcher(out)
                    .replaceAll("\n");
        }
        return out;
    }

    /** A number without thousands separators or a zero fraction: "1,299.00" → "1299", "9,99" → "9.99". */
    static String num(String s) {
        String[] parts = s.split("[.,]");
        String fraction = "";
        int whole = parts.length;
        if (parts.length > 1 && parts[parts.length - 1].length() <= 2) {
            fraction = parts[parts.length - 1];
            whole--;
        }
        StringBuilder integer = new StringBuilder();
        for (int i = 0; i < whole; i++) {
            integer.append(parts[i]);
        }
        String n = integer.toString().replaceFirst("^0+(?=\\d)", "");
        if (fraction.isEmpty() || fraction.chars().allMatch(ch -> ch == '0')) {
            return n;
        }
        return n + "." + fraction;
    }

    /** One sign per currency, whether written as a sign or a word. */
    static String currency(String s) {
        String c = s.toLowerCase(Locale.ROOT);
        return switch (c) {
            case "$", "usd", "dollar", "dollars", "bucks" -> "$";
            case "€", "eur", "euro", "euros" -> "€";
            case "£", "gbp", "pound", "pounds", "quid" -> "£";
            case "¢", "cent", "cents" -> "¢";
            case "¥", "yen" -> "¥";
            case "pence" -> "p";
            default -> s;
        };
    }

    private static String freeThing(String s) {
        String t = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        return switch (t) {
            case "shipping", "delivery", "postage", "p&p" -> "shipping";
            case "accessory", "accessories" -> "accessory";
            case "bonus", "bonuses" -> "bonus";
            default -> t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
        };
    }
}
