package dev.genfleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

    final AllowedMethods api = AllowedMethods.api();

    @Test
    void shouldNameTheMethodsEachPathOfTheApiSupports() {
        assertEquals("POST", api.allow("/v1/jobs"));
        assertEquals("POST", api.allow("/v1/jobs/"));
        assertEquals("GET", api.allow("/v1/jobs/3f1c0a4e-1111-4a55-9a1b-2f0c6f3e9d10"));
        assertEquals("GET", api.allow("/v1/jobs/x/output"));
        assertEquals("GET", api.allow("/v1/jobs/x/events"));
        assertEquals("POST", api.allow("/v1/jobs/x/cancel"));
        assertEquals("POST", api.allow("/v1/campaigns"));
        assertEquals("GET", api.allow("/v1/campaigns/c"));
        assertEquals("GET", api.allow("/v1/campaigns/c/results"));
        assertEquals("POST", api.allow("/v1/campaigns/c/cancel"));
        assertEquals("GET", api.allow("/v1/models"));
        assertEquals("GET", api.allow("/v1/webhooks/default/secret"));
    }

    @Test
    void shouldNameNoMethodsForAPathNoResourceServes() {
        assertNull(api.allow("/v1/no-such-thing"));
        assertNull(api.allow("/v1/jobs/a/b/c"));
    }

    @Test
    void shouldReadRegexTemplates() {
        @Path("/things")
        class Things {
            @jakarta.ws.rs.GET
            @Path("/{n: [0-9]+}")
            public String get() {
                return "";
            }

            @jakarta.ws.rs.DELETE
            @Path("/{n: [0-9]+}")
            public void delete() {}
        }
        AllowedMethods things = new AllowedMethods(java.util.List.of(Things.class));
        assertEquals("DELETE, GET", things.allow("/things/42"));
        assertNull(things.allow("/things/abc"));
    }

    @Test
    void shouldKnowEveryResourceOfTheApi() throws IOException, URISyntaxException {
        java.nio.file.Path dir = java.nio.file.Path.of(AllowedMethods.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(AllowedMethods.class.getPackageName().replace('.', '/'));
        Set<String> annotated = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class")) {
                    continue;
                }
                try {
                    Class<?> c = Class.forName(
                            AllowedMethods.class.getPackageName() + "." + name.substring(0, name.length() - 6));
                    if (c.isAnnotationPresent(Path.class)) {
                        annotated.add(c.getName());
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // not loadable on its own here: not a resource
                }
            }
        }
        assertEquals(
                annotated,
                AllowedMethods.RESOURCES.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new)));
    }
}
