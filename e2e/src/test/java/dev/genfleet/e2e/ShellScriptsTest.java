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

    /**
     * {@code ./genfleet dlq} without a fleet: help per subcommand, a clear refusal when no broker runs, usage for an
     * unknown subcommand. The tool itself is proven against the real broker by the schemas module's DeadLettersIT
     * and inside a fleet run by FleetE2EIT.
     */
    @Test
    void shouldWireTheDeadLetterCommandsWithHelpAndClearRefusals() throws Exception {
        Path home = Files.createTempDirectory("genfleet-dlq-");
        for (String sub : List.of("list", "show", "redrive")) {
            Result help = genfleet(home, "dlq", sub, "--help");
            assertEquals(0, help.exit, help.output);
            assertTrue(help.output.startsWith("usage: ./genfleet dlq " + sub), help.output);
        }
        assertTrue(genfleet(home, "dlq", "redrive", "--help").output.contains("--dry-run"));
        Result overview = genfleet(home, "dlq", "--help");
        assertTrue(overview.output.contains("list|show|redrive"), overview.output);
        assertTrue(genfleet(home, "help").output.contains("dlq list|show|redrive"));
        Result unknown = genfleet(home, "dlq", "purge");
        assertEquals(2, unknown.exit, unknown.output);
        Result noBroker = genfleet(home, "dlq", "list");
        assertEquals(1, noBroker.exit, noBroker.output);
        assertTrue(noBroker.output.contains("the broker is not running"), noBroker.output);
    }

    private record Result(int exit, String output) {}

    private static Result genfleet(Path home, String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", REPO.resolve("genfleet").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("GENFLEET_HOME", home.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "./genfleet " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), out);
    }
}
