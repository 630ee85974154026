package dev.genfleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProblemTypeTest {

    @Test
    void shouldGiveEachKindItsOwnUri() {
        Set<String> uris = new HashSet<>();
        for (ProblemType t : ProblemType.values()) {
            assertTrue(uris.add(t.uri()), "one URI per kind: " + t);
            assertTrue(t.uri().startsWith(ProblemType.BASE), t.uri());
            assertEquals(t, ProblemType.of(t.status(), t.title(), t == ProblemType.POLICY_REFUSED ? "rule" : null));
        }
    }

    @Test
    void shouldTellTheKindsOf422Apart() {
        assertEquals(ProblemType.INVALID_REQUEST, ProblemType.of(422, "Invalid request", null));
        assertEquals(ProblemType.POLICY_REFUSED, ProblemType.of(422, "Refused by content policy", "DENY_TERM"));
        assertEquals(ProblemType.IDEMPOTENCY_KEY_REUSED, ProblemType.of(422, "Idempotency-Key reused", null));
        assertEquals(ProblemType.QUOTA_EXCEEDED, ProblemType.of(429, "Too Many Requests", null));
        assertEquals(ProblemType.UNTYPED, ProblemType.uri(418, "I'm a teapot", null));
    }

    @Test
    void shouldListEveryKindInTheReadme() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| `" + ProblemType.BASE))
                .toList();
        assertEquals(ProblemType.values().length, rows.size(), "one row per kind in gateway/README.md: " + rows);
        for (ProblemType t : ProblemType.values()) {
            assertTrue(
                    rows.stream()
                            .anyMatch(r ->
                                    r.startsWith("| `" + t.uri() + "` | " + t.status() + " | " + t.title() + " |")),
                    "gateway/README.md lists " + t.uri() + " | " + t.status() + " | " + t.title());
        }
    }
}
