package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReasonCodeTest {

    @Test
    void shouldReadAnOlderWorkersCancelAsTheClientsCancel() {
        assertEquals(Optional.of(ReasonCode.CANCELLED_BY_CLIENT), ReasonCode.find("CANCELLED"));
        assertEquals(Optional.of(ReasonCode.CANCELLED_BY_CLIENT), ReasonCode.find("CANCELLED_BY_CLIENT"));
    }

    @Test
    void shouldFindEveryCatalogueCodeByItsWireValueAndNoUnknownOne() {
        for (ReasonCode code : ReasonCode.values()) {
            assertEquals(Optional.of(code), ReasonCode.find(code.reason("x").code()));
        }
        assertTrue(ReasonCode.find("NO_SUCH_CODE").isEmpty());
        assertTrue(ReasonCode.find(null).isEmpty());
    }

    @Test
    void shouldNotLetAnAliasShadowACatalogueCode() {
        for (String alias : ReasonCode.ALIASES.keySet()) {
            for (ReasonCode code : ReasonCode.values()) {
                assertTrue(!code.name().equals(alias), alias);
            }
        }
    }
}
