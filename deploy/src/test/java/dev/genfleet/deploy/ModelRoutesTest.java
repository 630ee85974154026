package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's default model routes and pools are the gateway's shipped ones: {@code gateway.models} in values.yaml
 * equals the static routes of the gateway's {@code application.properties} (pool and modality of every model), the
 * default pools are {@link Topics#DEFAULT_POOLS} in order, and each pool hosts exactly the models routed to it. The
 * chart carries its own copy because an install overrides it; this test keeps the defaults from drifting.
 */
class ModelRoutesTest {

    static final Path GATEWAY_PROPERTIES = Path.of("../gateway/src/main/resources/application.properties");
    static final Pattern ROUTE = Pattern.compile("genfleet\\.gateway\\.models\\.([^.]+)\\.(pool|modality)");

    @Test
    void shouldShipTheGatewaysStaticRoutesAndAPoolHostingEachRoutedModel() throws IOException {
        Map<String, Map<String, String>> gateway = new TreeMap<>();
        Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(GATEWAY_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(r);
        }
        for (String key : properties.stringPropertyNames()) {
            Matcher m = ROUTE.matcher(key);
            if (m.matches()) {
                gateway.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(m.group(2), properties.getProperty(key));
            }
        }
        assertTrue(gateway.size() >= 3, "the gateway ships routes: " + gateway);

        Map<String, Object> values = Chart.values(Chart.dir().resolve("values.yaml"));
        Map<String, Map<String, String>> chart = new TreeMap<>();
        Tree.map(values, "gateway.models").forEach((model, route) -> {
            Map<String, String> fields = new TreeMap<>();
            ((Map<?, ?>) route).forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
            chart.put(model, fields);
        });
        assertEquals(gateway, chart, "values.yaml gateway.models against the gateway's application.properties");

        List<String> pools = new ArrayList<>();
        Map<String, TreeSet<String>> hosted = new TreeMap<>();
        for (Map<String, Object> pool : Tree.maps(values, "workers.pools")) {
            String name = (String) pool.get("name");
            pools.add(name);
            @SuppressWarnings("unchecked")
            List<String> models = (List<String>) pool.get("models");
            hosted.put(name, new TreeSet<>(models));
        }
        assertEquals(Topics.DEFAULT_POOLS, pools, "the default pools, in order");
        Map<String, TreeSet<String>> routed = new TreeMap<>();
        gateway.forEach((model, route) ->
                routed.computeIfAbsent(route.get("pool"), p -> new TreeSet<>()).add(model));
        assertEquals(routed, hosted, "each default pool hosts exactly the models routed to it");
    }
}
