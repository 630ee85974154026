package dev.genfleet.gateway.restart;

import dev.genfleet.gateway.GatewayProcess;
import dev.genfleet.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long the status view takes to become ready after N result and audit records: (a) the first start of a
 * replica without state (a replay) and (b) restarts with its state intact. Not a test (no timed assertion): run it
 * with (after {@code ./mvnw -o -q -pl gateway package -DskipTests})
 *
 * <pre>
 * ./mvnw -o -q -pl gateway exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.genfleet.gateway.restart.ViewRestartBenchmark -Dexec.args=500000
 * </pre>
 *
 * The argument is the number of finished jobs; each is two records (a SUCCEEDED audit event and its result), written
 * straight to the broker by one producer ({@code GENFLEET_BENCH_KAFKA} or the embedded broker from testkit) on topics
 * with the AsyncAPI document's 12 partitions. The gateway is the packaged jar as its own JVM ({@code -Xmx512m}) with
 * a fixed replica id; "ready" is {@code /q/health/ready} answering 200, timed from the process start. Prints a
 * Markdown table.
 */
public final class ViewRestartBenchmark {

    public static void main(String[] args) throws Exception {
        long jobs = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 500_000;
        String external = System.getenv("GENFLEET_BENCH_KAFKA");
        EmbeddedKafkaBroker broker = null;
        String bootstrap;
        if (external != null && !external.isBlank()) {
            bootstrap = external.strip();
        } else {
            broker = EmbeddedKafkaBroker.create().start();
            bootstrap = broker.bootstrapServers();
        }
        List<String> rows = new ArrayList<>();
        try {
            ViewHistory.createTopics(bootstrap, 12);
            long t = System.nanoTime();
            long records = ViewHistory.write(bootstrap, "bench", 0, jobs);
            double writeSeconds = (System.nanoTime() - t) / 1e9;
            System.err.printf(Locale.ROOT, "wrote %d records in %.1f s%n", records, writeSeconds);
            Path state = Files.createTempDirectory(GatewayProcess.TARGET, "view-restart-bench-state");
            rows.add(run(bootstrap, state, "first start, no state (replay)", 0));
            for (int i = 1; i <= 3; i++) {
                long written = ViewHistory.write(bootstrap, "bench-down-" + i, 0, 500);
                rows.add(run(bootstrap, state, "restart " + i + " with state intact", written));
            }
            long bytes = sizeOf(state);
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "%d result + audit records (%d jobs) written by one producer in %.1f s; 12 partitions;"
                            + " view state on disk %.0f MB; %d cores, load average %.1f at the end%n%n",
                    records,
                    jobs,
                    writeSeconds,
                    bytes / 1e6,
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
            System.out.println("| start | records written while down | ready after (s) | records read by the view |");
            System.out.println("|---|---:|---:|---:|");
            rows.forEach(System.out::println);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        System.exit(0);
    }

    static String run(String bootstrap, Path state, String label, long writtenWhileDown) throws Exception {
        Path log = GatewayProcess.TARGET.resolve("view-restart-bench.log");
        long t = System.nanoTime();
        try (GatewayProcess gateway = RestartedGateway.start(bootstrap, state, "bench", log)) {
            long last = 0;
            while (true) {
                if (!gateway.alive()) {
                    throw new IllegalStateException("the gateway exited; see " + log);
                }
                RestartedGateway.View v = RestartedGateway.view(gateway);
                if (v != null && v.ready()) {
                    double seconds = (System.nanoTime() - t) / 1e9;
                    System.err.printf(Locale.ROOT, "%s: ready after %.1f s (%s)%n", label, seconds, v);
                    return String.format(
                            Locale.ROOT, "| %s | %d | %.1f | %d |", label, writtenWhileDown, seconds, v.recordsRead());
                }
                if (v != null && System.nanoTime() - last > 10_000_000_000L) {
                    last = System.nanoTime();
                    System.err.printf(
                            Locale.ROOT,
                            "  %s: %.0f s, %d records read, %d offsets behind%n",
                            label,
                            (last - t) / 1e9,
                            v.recordsRead(),
                            v.offsetsBehind());
                }
                Thread.sleep(250);
            }
        }
    }

    static long sizeOf(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
