package dev.genfleet.gateway.policy;

import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a rendered prompt, and each string of a brief, before it reaches Kafka: length, deny terms (whole words, case-insensitive),
 * deny patterns, and personal data a marketing prompt should not carry (e-mail addresses, phone
 * numbers, card numbers that pass the Luhn check). The first hit wins; its rule id is the reason code.
 */
public final class ContentPolicy {

    public static final String RULE_LENGTH = ReasonCode.POLICY_LENGTH.name();
    public static final String RULE_DENY_TERM = ReasonCode.POLICY_DENY_TERM.name();
    public static final String RULE_DENY_PATTERN = ReasonCode.POLICY_DENY_PATTERN.name();
    public static final String RULE_EMAIL = ReasonCode.POLICY_PII_EMAIL.name();
    public static final String RULE_PHONE = ReasonCode.POLICY_PII_PHONE.name();
    public static final String RULE_CARD = ReasonCode.POLICY_PII_CARD.name();

    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}");
    /** A maximal run of digits and phone separators; a phone number has 8–15 digits in it. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?[\\d(][\\d ().-]{6,24}\\d(?!\\w)");

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern CARD = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

    private final int maxChars;
    private final List<Pattern> denyTerms;
    private final List<Pattern> denyPatterns;
    private final boolean email;
    private final boolean phone;
    private final boolean card;

    public ContentPolicy(
            int maxChars, List<String> terms, List<String> patterns, boolean email, boolean phone, boolean card) {
        this.maxChars = maxChars;
        this.denyTerms = new ArrayList<>();
        for (String t : terms) {
            if (!t.isBlank()) {
                denyTerms.add(Pattern.compile(
                        "(?<![\\p{L}\\p{N}])" + Pattern.quote(t.strip()) + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            }
        }
        this.denyPatterns = patterns.stream()
                .filter(p -> !p.isBlank())
                .map(Pattern::compile)
                .toList();
        this.email = email;
        this.phone = phone;
        this.card = card;
    }

    /** The violated rule of a prompt, if any. */
    public Optional<Reason> check(String text) {
        return check(text, "prompt");
    }

    /**
     * The violated rule, if any, with {@code subject} (what the text is: {@code prompt}, {@code brief.name})
     * named in the reason's message. Card numbers are checked before phone numbers (they look alike).
     */
    public Optional<Reason> check(String text, String subject) {
        if (text.codePointCount(0, text.length()) > maxChars) {
            return Optional.of(ReasonCode.POLICY_LENGTH.reason(subject + " longer than " + maxChars + " characters"));
        }
        for (Pattern p : denyTerms) {
            if (p.matcher(text).find()) {
                return Optional.of(ReasonCode.POLICY_DENY_TERM.reason(subject + " contains a denied term"));
            }
        }
        for (int i = 0; i < denyPatterns.size(); i++) {
            if (denyPatterns.get(i).matcher(text).find()) {
                return Optional.of(
                        ReasonCode.POLICY_DENY_PATTERN.reason(subject + " matches denied pattern #" + (i + 1)));
            }
        }
        if (email && EMAIL.matcher(text).find()) {
            return Optional.of(ReasonCode.POLICY_PII_EMAIL.reason(subject + " contains an e-mail address"));
        }
        if (card) {
            Matcher m = CARD.matcher(text);
            while (m.find()) {
                if (luhn(m.group().replaceAll("[ -]", ""))) {
                    return Optional.of(ReasonCode.POLICY_PII_CARD.reason(subject + " contains a payment card number"));
                }
            }
        }
        if (phone) {
            Matcher m = PHONE.matcher(text);
            while (m.find()) {
                long digits = m.group().chars().filter(Character::isDigit).count();
                if (digits >= 8 && digits <= 15 && !ISO_DATE.matcher(m.group()).matches()) {
                    return Optional.of(ReasonCode.POLICY_PII_PHONE.reason(subject + " contains a phone number"));
                }
            }
        }
        return Optional.empty();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    @Override
    public String toString() {
        return "ContentPolicy[" + denyTerms.size() + " terms, " + denyPatterns.size()
                + " patterns]".toLowerCase(Locale.ROOT);
    }
}
