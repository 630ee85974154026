package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OfferClaimsTest {

    static final CopyBrief KETTLE = new CopyBrief("Model 3 Kettle", "tea lovers", "12-hour warmth", null, null, "Zoë");

    static List<String> unstatedWithoutOffer(String copy) {
        return OfferClaims.unstated(copy, null, false, KETTLE.values());
    }

    @Test
    void shouldFindEveryKindOfInventedOffer() {
        List<String> invented = List.of(
                "Use code SPRESH50 for 10% off",
                "free shipping on orders over $10",
                "Get 20 percent off today.",
                "Save €9,99 now",
                "only 15 dollars",
                "It's on sale this week.",
                "BOGO on every kettle",
                "Buy one, get one this week",
                "half price for members",
                "a limited-time offer for you",
                "Grab a coupon before it's gone",
                "enter the code at checkout",
                "Returns ship free",
                "yours for free",
                "a discount for tea lovers",
                "2-for-1 all week",
                "£5 off",
                "¥500 only",
                "50% OFF",
                "Enjoy a free gift with every order");
        for (String copy : invented) {
            assertFalse(unstatedWithoutOffer(copy).isEmpty(), "should be an offer: " + copy);
        }
        assertEquals(List.of("code SPRESH50", "10%"), unstatedWithoutOffer("Use code SPRESH50 for 10% off"));
        assertEquals(List.of("free shipping", "$10"), unstatedWithoutOffer("free shipping on orders over $10"));
    }

    @Test
    void shouldNotTakeTheBriefsOwnWordsOrPlainEnglishForOffers() {
        List<String> honest = List.of(
                "Hi Zoë, Model 3 Kettle keeps tea hot: 12-hour warmth for tea lovers.",
                "MODEL 3 KETTLE brings 12-hour warmth.",
                "Feel free to brew a second cup.",
                "A stress-free morning with hands-free pouring.",
                "Our sales team loves it, and so will you.",
                "It takes a great deal of care to brew well.",
                "Take some time off and relax.",
                "Save time every morning.",
                "Start the day with the code of the road: patience.",
                "Wholesale quality, resale value.");
        for (String copy : honest) {
            assertEquals(List.of(), unstatedWithoutOffer(copy), copy);
        }
    }

    @Test
    void shouldStripProductsAndBenefitsThatLookLikeOffers() {
        CopyBrief b = new CopyBrief("Free Spirit Sandals", "beach walkers", "50% lighter soles", null, null, null);
        assertEquals(
                List.of(),
                OfferClaims.unstated(
                        "Free Spirit Sandals give beach walkers 50% lighter soles.", null, false, b.values()));
        assertEquals(
                List.of("20%"), OfferClaims.unstated("Free Spirit Sandals, now 20% off.", null, false, b.values()));
    }

    @Test
    void shouldAllowWhatTheOfferStatesAndNothingElse() {
        String offer = "20% off your first order";
        List<String> strip = List.of("Nimbus Pillow", "light sleepers", "deeper sleep", offer);
        assertEquals(List.of(), OfferClaims.unstated("Take 20% off your first order!", offer, true, strip));
        assertEquals(List.of(), OfferClaims.unstated("Enjoy 20 percent off and a special offer.", offer, true, strip));
        assertEquals(List.of(), OfferClaims.unstated("A discount made for you.", offer, true, strip));
        assertEquals(List.of("25%"), OfferClaims.unstated("Take 25% off!", offer, true, strip));
        assertEquals(List.of("free shipping"), OfferClaims.unstated("20% off and free shipping", offer, true, strip));
        assertEquals(List.of("sale"), OfferClaims.unstated("20% off in our sale", offer, true, strip));

        String shipping = "free delivery on orders over $50";
        assertEquals(List.of(), OfferClaims.unstated("Free shipping over 50 dollars.", shipping, true, List.of()));
        assertEquals(List.of("$40"), OfferClaims.unstated("Free shipping over $40.", shipping, true, List.of()));
        assertEquals(List.of("discount"), OfferClaims.unstated("A discount, too.", shipping, true, List.of()));

        String code = "use code WELCOME10";
        assertEquals(List.of(), OfferClaims.unstated("Enter code WELCOME10 at checkout.", code, true, List.of()));
        assertEquals(List.of("code SAVE20"), OfferClaims.unstated("Or try code SAVE20.", code, true, List.of()));
    }

    @Test
    void shouldNormalizeNumbersAndCurrencies() {
        assertEquals("1299", OfferClaims.num("1,299.00"));
        assertEquals("9.99", OfferClaims.num("9,99"));
        assertEquals("20", OfferClaims.num("020"));
        assertEquals("$", OfferClaims.currency("USD"));
        assertEquals("€", OfferClaims.currency("euros"));
        assertTrue(OfferClaims.find("nothing to see").isEmpty());
    }
}
