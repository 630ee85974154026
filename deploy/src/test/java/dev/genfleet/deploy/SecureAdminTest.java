package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/local/SecureAdmin.java, which ./genfleet runs as a single-file program, compiles against the schemas API. */
class SecureAdminTest {

    @Test
    void shouldCompileAgainstTheSchemasModule(@TempDir Path out) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(
                null,
                null,
                errors,
                "-d",
                out.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Path.of("local/SecureAdmin.java").toString());
        assertTrue(rc == 0, errors.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(out.resolve("SecureAdmin.class")));
    }
}
