package dev.genfleet.e2e.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local fleet of {@code ./genfleet}, with its own state directory ({@code GENFLEET_HOME}) and its own
 * ports, so it never meets another run. Every process it started is SIGKILLed by {@link #close()} (also from
 * a shutdown hook): only the pids of its own {@code run/*.pid} files, and only if they started after it.
 */
final class ChaosFleet implements AutoCloseable {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

    private final Path repo;
    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final Instant createdAt = Instant.now().minusSeconds(1);
    private final Thread hook = new Thread(this::killAll, "chaos-fleet-cleanup");
    private volatile boolean closed;

    ChaosFleet(Path repo, Map<String, String> processEnv) throws IOException {
        this.repo = repo;
        this.home = Files.createTempDirectory("genfleet-chaos-");
        int kafkaPort = freePorts(2); // broker and controller
        int gatewayPort = freePorts(1);
        int workerPortBase = freePorts(3); // workers on base + 1 (text), base + 2 (image)
        env.putAll(processEnv);
        env.put("GENFLEET_HOME", home.toString());
        env.put("GENFLEET_PORT", String.valueOf(gatewayPort));
        env.put("GENFLEET_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("GENFLEET_WORKER_PORT_BASE", String.valueOf(workerPortBase));
        // health and metrics: the gateway on base, workers on base + 1 (text), base + 2 (image)
        env.put("GENFLEET_MANAGEMENT_PORT_BASE", String.valueOf(freePorts(3)));
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Path home() {
        return home;
    }

    /** {@code ./genfleet <args>}; one at a time (the script is not made for concurrent runs on one home). */
    synchronized void genfleet(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", repo.resolve("genfleet").toString()));
        command.addAll(List.of(args));
        Path log = home.resolve("genfleet-" + args[0] + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("./genfleet " + String.join(" ", args) + " ran past " + SCRIPT_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "./genfleet " + String.join(" ", args) + " failed:\n" + tail(Files.readString(log), 3000));
        }
    }

    /** What {@code up} exported ({@code GENFLEET_URL}, {@code GENFLEET_API_KEY}, {@code GENFLEET_KAFKA}, ...). */
    Map<String, String> exported() throws IOException {
        Map<String, String> exported = new HashMap<>();
        Pattern line = Pattern.compile("export (\\w+)=(.*)");
        for (String l : Files.readAllLines(home.resolve("env"))) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                exported.put(m.group(1), m.group(2));
            }
        }
        return exported;
    }

    long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("run").resolve(component + ".pid"))
                .trim());
    }

    /** SIGKILL (never SIGTERM), then wait until the process is gone; returns the pid killed. */
    long sigkill(String component) throws IOException {
        long pid = pid(component);
        ProcessHandle process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException(component + " (pid " + pid + ") is not running"));
        process.destroyForcibly(); // SIGKILL on Linux
        awaitDead(process);
        return pid;
    }

    /** SIGKILL of an already resolved process handle: the fastest path from a decision to the signal. */
    static void sigkill(ProcessHandle process) {
        process.destroyForcibly();
        awaitDead(process);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitDead(ProcessHandle process) {
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 30 s", e);
        }
    }

    String log(String component) {
        try {
            return Files.readString(home.resolve("logs").resolve(component + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills what this fleet started; deletes its state directory unless {@code keep} (a failed run's evidence). */
    void close(boolean keep) {
        killAll();
        if (!keep) {
            deleteQuietly(home);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    @Override
    public void close() {
        close(false);
    }

    private synchronized void killAll() {
        if (closed) {
            return;
        }
        closed = true;
        try (Stream<Path> files = Files.list(home.resolve("run"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                ours(Files.readString(f).trim()).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.onExit()
                            .orTimeout(20, TimeUnit.SECONDS)
                            .exceptionally(e -> p)
                            .join();
                });
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("chaos fleet cleanup: " + e);
        }
    }

    /** A pid of one of our pid files that is alive and started after this fleet was created (no reused pid). */
    private Optional<ProcessHandle> ours(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info()
                            .startInstant()
                            .map(s -> s.isAfter(createdAt))
                            .orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : "…" + text.substring(text.length() - chars);
    }

    /**
     * The first of {@code count} consecutive loopback ports free now, below Linux's ephemeral range (as in
     * {@code FleetE2EIT}): listeners are the only competitors there.
     */
    private static int freePorts(int count) throws IOException {
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20_000 + random.nextInt(12_000 - count);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports between 20000 and 32000");
    }
}
