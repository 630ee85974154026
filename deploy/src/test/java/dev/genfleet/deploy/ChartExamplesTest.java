package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example install lints strictly, renders, and every rendered document is valid for its kind. */
class ChartExamplesTest {

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldLintStrictly(Path values) throws Exception {
        LintResult result = Chart.lint(values);
        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldLoadEveryRenderedDocumentIntoItsTypedModel(Path values) {
        Rendered rendered = Chart.render(values);
        assertTrue(
                rendered.docs().size() > 10, "rendered only " + rendered.docs().size() + " documents");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> doc : rendered.docs()) {
            problems.addAll(Kinds.check(doc));
        }
        assertEquals(List.of(), problems, rendered + ": invalid documents");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldNameEveryResourceOnceAndValidly(Path values) {
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> doc : Chart.render(values).docs()) {
            String name = Tree.str(doc, "metadata.name");
            assertTrue(seen.add(doc.get("kind") + "/" + name), "duplicate " + doc.get("kind") + "/" + name);
            assertTrue(
                    name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") && name.length() <= 63,
                    () -> "not a valid Kubernetes name: " + name);
            Map<String, Object> labels = Tree.map(doc, "metadata.labels");
            assertEquals("genfleet", labels.get("app.kubernetes.io/part-of"), doc.get("kind") + "/" + name);
        }
    }
}
