package dev.genfleet.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPolicyTest {

    final ContentPolicy policy = new ContentPolicy(
            100, List.of("forbiddenword", "guaranteed cure"), List.of("(?i)free +money"), true, true, true);

    String rule(String text) {
        return policy.check(text).map(r -> r.code()).orElse("OK");
    }

    @Test
    void shouldNameTheRuleThatRefusesAPrompt() {
        assertEquals(ContentPolicy.RULE_EMAIL, rule("Write to jane.doe@example.com about shoes"));
        assertEquals(ContentPolicy.RULE_CARD, rule("Card 4111 1111 1111 1111 is on file"));
        assertEquals(ContentPolicy.RULE_CARD, rule("card 4111-1111-1111-1111"));
        assertEquals(ContentPolicy.RULE_PHONE, rule("Call +44 20 7946 0958 today"));
        assertEquals(ContentPolicy.RULE_PHONE, rule("call (555) 123-4567"));
        assertEquals(ContentPolicy.RULE_DENY_TERM, rule("A ForbiddenWord slogan"));
        assertEquals(ContentPolicy.RULE_DENY_TERM, rule("a guaranteed cure!"));
        assertEquals(ContentPolicy.RULE_DENY_PATTERN, rule("Get FREE   money now"));
        assertEquals(ContentPolicy.RULE_LENGTH, rule("x".repeat(101)));
    }

    @Test
    void shouldLetOrdinaryMarketingCopyThrough() {
        assertEquals("OK", rule("Hi Ada, our new running shoe is 20% off until 2026-12-01."));
        assertEquals("OK", rule("Order 4111 1111 1111 1112 shipped")); // fails Luhn, 16 digits: not a phone either
        assertEquals("OK", rule("forbiddenwords are fine as part of a longer word"));
        assertEquals("OK", rule("Version 3.33.2 ships today"));
    }

    @Test
    void shouldNameWhatItCheckedInTheReason() {
        assertEquals(
                "brief.name contains an e-mail address",
                policy.check("zoe@example.com", "brief.name").orElseThrow().message());
        assertEquals(
                "prompt contains a denied term",
                policy.check("a forbiddenword").orElseThrow().message());
    }

    @Test
    void shouldLetNamesAndOffersOfABriefThrough() {
        for (String s :
                List.of("José", "Søren", "Mei-Ling", "Zoë", "Ærø Duvet", "20% off your first order", "$5 off")) {
            assertEquals("OK", rule(s), s);
        }
    }

    @Test
    void shouldCheckLuhn() {
        assertTrue(ContentPolicy.luhn("4111111111111111"));
        assertTrue(ContentPolicy.luhn("79927398713"));
        assertEquals(false, ContentPolicy.luhn("4111111111111112"));
    }
}
