package dev.genfleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void shouldTakeNearestRankPercentiles() {
        double[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(50, Demo.percentile(sorted, 50));
        assertEquals(100, Demo.percentile(sorted, 99));
        assertEquals(10, Demo.percentile(new double[] {10}, 99));
    }

    @Test
    void shouldAcceptOnlyCopyThatNamesTheRecipientAndTheProductVerbatim() throws Exception {
        JsonNode vars =
                GenfleetClient.mapper().readTree("{\"first_name\":\"Søren\",\"product\":\"Ålesund Knit Beanie\"}");
        assertTrue(Demo.namesRecipientAndProduct("Søren, the Ålesund Knit Beanie keeps you warm.", vars));
        assertFalse(Demo.namesRecipientAndProduct("Soren, the Ålesund Knit Beanie keeps you warm.", vars));
        assertFalse(Demo.namesRecipientAndProduct("Søren, the Alesund beanie keeps you warm.", vars));
        assertFalse(Demo.namesRecipientAndProduct("Søren, the Ålesund Knit Beanie.", null));
    }

    @Test
    void shouldLayImagesOutOnAGridScaledUp() {
        BufferedImage tile = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        tile.setRGB(0, 0, 0xFF0000);
        BufferedImage sheet = Demo.contactSheet(List.of(tile, tile, tile, tile, tile), 4, 4);
        assertEquals(4 + 4 * (128 + 4), sheet.getWidth());
        assertEquals(4 + 2 * (128 + 4), sheet.getHeight());
        assertEquals(0xFF0000, sheet.getRGB(4, 4) & 0xFFFFFF);
    }
}
