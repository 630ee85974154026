package dev.genfleet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The project's shell scripts pass shellcheck (every severity, style included). {@code .ci/run}
 * installs shellcheck; on a developer machine without it this test says how to get it.
 */
class ShellScriptsTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final List<String> SCRIPTS = List.of("genfleet", ".ci/run", "training/tools/torchscript/export.sh");

    @Test
    void shouldPassShellcheck() throws IOException, InterruptedException {
        for (String script : SCRIPTS) {
            assertTrue(Files.isRegularFile(REPO.resolve(script)), "missing " + script);
        }
        List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style", "--external-sources"));
        command.addAll(SCRIPTS);
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(REPO.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("shellcheck is not installed (apt-get install shellcheck; .ci/run does)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "shellcheck did not finish");
        assertEquals(0, p.exitValue(), "shellcheck findings:\n" + out);
    }
}
