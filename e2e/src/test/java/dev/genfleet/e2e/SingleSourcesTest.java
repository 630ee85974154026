package dev.genfleet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Settings declared once: the pools and their models live in the gateway's static model routes, which
 * {@code ./genfleet} reads, and whose pools are {@link Topics#DEFAULT_POOLS}; default topic names live in
 * {@link Topics}, which both components' config mappings refer to, so no application.properties repeats one.
 */
class SingleSourcesTest {

    static final Path REPO = ShellScriptsTest.REPO;
    static final Path GATEWAY_PROPERTIES = REPO.resolve("gateway/src/main/resources/application.properties");
    static final Path WORKER_PROPERTIES = REPO.resolve("worker/src/main/resources/application.properties");
    static final Pattern ROUTE = Pattern.compile("genfleet\\.gateway\\.models\\.([^.]+)\\.pool");

    @Test
    void shouldStartThePoolsAndModelsOfTheGatewaysStaticRoutes() throws Exception {
        Map<String, TreeSet<String>> routes = new TreeMap<>();
        Properties gateway = load(GATEWAY_PROPERTIES);
        for (String key : gateway.stringPropertyNames()) {
            Matcher m = ROUTE.matcher(key);
            if (m.matches()) {
                routes.computeIfAbsent(gateway.getProperty(key), p -> new TreeSet<>())
                        .add(m.group(1));
            }
        }
        Map<String, TreeSet<String>> started = new LinkedHashMap<>();
        for (String line : genfleet("pools").strip().split("\n")) {
            String[] poolAndModels = line.split(" ");
            assertEquals(2, poolAndModels.length, line);
            started.put(poolAndModels[0], new TreeSet<>(List.of(poolAndModels[1].split(","))));
        }

        assertEquals(routes, new TreeMap<>(started), "./genfleet pools against the gateway's static routes");
        assertEquals(Topics.DEFAULT_POOLS, new ArrayList<>(started.keySet()), "the shipped pools, in order");
    }

    @Test
    void shouldDeclareDefaultTopicNamesOnlyInTopics() throws IOException {
        Topics defaults = Topics.defaults();
        for (Path file : List.of(GATEWAY_PROPERTIES, WORKER_PROPERTIES)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String value = line.substring(line.indexOf('=') + 1);
                for (String name : defaults.all(Topics.DEFAULT_POOLS)) {
                    assertFalse(value.contains(name), file.getFileName() + " repeats " + name + ": " + line);
                }
                assertFalse(value.contains(Topics.DEFAULT_JOBS_PREFIX), file + " repeats the jobs prefix: " + line);
            }
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static String genfleet(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", REPO.resolve("genfleet").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "./genfleet did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
