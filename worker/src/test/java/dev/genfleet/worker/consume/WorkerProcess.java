package dev.genfleet.worker.consume;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged worker ({@code target/quarkus-app/quarkus-run.jar}) as a separate JVM, for crash tests. */
final class WorkerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String bootstrap, String workerId, String pool, Map<String, String> extra)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath() + " missing: run the package phase first (mvn verify does)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dgenfleet.worker.id=" + workerId,
                "-Dgenfleet.worker.pool=" + pool,
                "-Dgenfleet.worker.models=copy-gpt",
                "-Dgenfleet.worker.model-dir=../models",
                "-Dquarkus.http.port=0",
                // health and metrics have their own port; several workers run at once
                "-Dquarkus.management.port=0"));
        extra.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Path log = Files.createTempFile("worker-" + workerId + "-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new WorkerProcess(process, log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, …) to the worker's JVM. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, as Kubernetes sends it. */
    void terminate() {
        process.destroy();
    }

    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker did not exit in " + seconds + " s; log: " + log);
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        new File(log.toString()).deleteOnExit();
    }
}
