package dev.genfleet.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genfleet.inference.NonFiniteOutputException;
import dev.genfleet.schemas.ReasonCode;
import org.junit.jupiter.api.Test;

/** The inference library knows no schemas, so its one reason code is checked against the catalogue here. */
class ReasonCodesTest {

    @Test
    void shouldUseTheCataloguesCodeForNonFiniteOutput() {
        assertEquals(ReasonCode.NON_FINITE_OUTPUT.name(), NonFiniteOutputException.CODE);
    }
}
