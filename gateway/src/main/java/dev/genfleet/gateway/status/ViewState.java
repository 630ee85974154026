package dev.genfleet.gateway.status;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The status view's local state across restarts (see "Restart from own state" in DESIGN.md). Before Kafka Streams
 * is built (the topology producer calls {@link #prepare()}):
 * <ol>
 * <li>state directories of the view that no running instance owns are removed and named in the log (ownership is
 * Kafka Streams' own lock on {@code <state.dir>/<application.id>/.lock});</li>
 * <li>this replica's directory is reused only if the last run closed Kafka Streams cleanly (a marker written after
 * the close, deleted at start) and wrote its stores in today's layout ({@link ViewTopology#STATE_LAYOUT}, the
 * marker's first line): then stores and committed offsets agree and the view resumes where it stopped.
 * Otherwise (first start, lost volume, a crash: non-logged RocksDB stores are not flushed at each commit, so after
 * a crash they may lag the committed offsets) the directory is wiped and the consumer group deleted, so the view
 * replays from the beginning into empty stores.</li>
 * </ol>
 * An ephemeral replica (no {@code genfleet.gateway.view.replica-id}) always replays and removes its directory at
 * shutdown.
 */
@Singleton
public class ViewState {

    /** Prefix of the view's application ids (and so of its state directories and consumer groups). */
    public static final String APPLICATION_ID_PREFIX = "genfleet-gateway-view-";

    /** File in the application's state directory that says Kafka Streams was closed cleanly. */
    public static final String CLEAN_STOP_MARKER = "genfleet-clean-stop";

    /** First line of the marker: the store layout the state was written in ({@link ViewTopology#STATE_LAYOUT}). */
    static final String LAYOUT_LINE = "layout " + ViewTopology.STATE_LAYOUT;

    static final Pattern REPLICA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final Logger LOG = Logger.getLogger(ViewState.class);

    /** How the view started. */
    public enum Start {
        /** Resumed from this replica's own stores and committed offsets. */
        OWN_STATE,
        /** Replays the log from the beginning into empty stores. */
        REPLAY
    }

    private final GatewayConfig config;
    private final Instance<KafkaClients> clients;
    private final Path root;
    private final String applicationId;
    private final boolean ephemeral;
    private final AtomicLong startedAt = new AtomicLong(System.nanoTime());
    private volatile Start start;
    private volatile List<String> removed = List.of();

    @Inject
    public ViewState(GatewayConfig config, Instance<KafkaClients> clients) {
        this(
                config,
                clients,
                Path.of(ConfigProvider.getConfig()
                        .getOptionalValue("kafka-streams.state.dir", String.class)
                        .orElse(Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams")
                                .toString())),
                ConfigProvider.getConfig().getValue("quarkus.kafka-streams.application-id", String.class));
    }

    ViewState(GatewayConfig config, Instance<KafkaClients> clients, Path root, String applicationId) {
        this.config = config;
        this.clients = clients;
        this.root = root.toAbsolutePath();
        this.applicationId = applicationId;
        Optional<String> replica = config.view().replicaId().filter(s -> !s.isBlank());
        this.ephemeral = replica.isEmpty();
        if (replica.isPresent()) {
            if (!REPLICA_ID.matcher(replica.get()).matches()) {
                throw new IllegalArgumentException("genfleet.gateway.view.replica-id '" + replica.get()
                        + "': letters, digits, '.', '_' and '-' only, at most 64");
            }
            if (!applicationId.equals(APPLICATION_ID_PREFIX + replica.get())) {
                throw new IllegalArgumentException("quarkus.kafka-streams.application-id is " + applicationId + ", not "
                        + APPLICATION_ID_PREFIX + replica.get() + ": leave it to the replica id");
            }
        }
    }

    /**
     * Removes unowned state, then decides whether this replica resumes from its own state or replays (wiping its
     * directory and deleting its consumer group). Runs once, before Kafka Streams is built.
     */
    public synchronized Start prepare() {
        if (start != null) {
            return start;
        }
        startedAt.set(System.nanoTime());
        try {
            Files.createDirectories(root);
            removed = removeUnowned();
            Path own = root.resolve(applicationId);
            Path marker = own.resolve(CLEAN_STOP_MARKER);
            String why = "was not closed cleanly";
            if (!ephemeral && Files.exists(marker)) {
                String layout = layoutOf(marker);
                Files.delete(marker); // from now on, a crash reads as "not stopped cleanly"
                if (LAYOUT_LINE.equals(layout)) {
                    start = Start.OWN_STATE;
                    LOG.infof("status view %s: restarting from its own state in %s", applicationId, own);
                    return start;
                }
                why = "was written in another store layout (" + (layout == null ? "none named" : layout) + ", now "
                        + LAYOUT_LINE + ")";
            }
            if (Files.exists(own)) {
                long bytes = size(own);
                delete(own);
                LOG.warnf(
                        "status view %s: removed its state in %s (%s), which %s; replaying",
                        applicationId, own, megabytes(bytes), why);
            }
            if (!ephemeral) {
                resetGroup();
            }
            start = Start.REPLAY;
            LOG.infof(
                    "status view %s: no state of its own in %s; replaying the log from the beginning",
                    applicationId, root);
            return start;
        } catch (IOException e) {
            throw new UncheckedIOException("status view: cannot prepare state directory " + root, e);
        }
    }

    /**
     * Closes Kafka Streams before Quarkus' own shutdown does, then marks the state clean (or removes it, for an
     * ephemeral replica) once every store is closed.
     */
    void onStop(@Observes @Priority(100) ShutdownEvent event, Instance<KafkaStreams> streams) {
        if (start == null || streams.isUnsatisfied()) {
            return;
        }
        KafkaStreams s = streams.get();
        boolean closed = s.close(Duration.ofSeconds(30));
        KafkaStreams.State state = s.state();
        Path own = root.resolve(applicationId);
        try {
            if (ephemeral) {
                if (closed) {
                    delete(own);
                }
            } else if (closed && state == KafkaStreams.State.NOT_RUNNING && Files.isDirectory(own)) {
                Files.writeString(
                        own.resolve(CLEAN_STOP_MARKER),
                        LAYOUT_LINE + "\n" + Instant.now() + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                LOG.infof(
                        "status view %s: closed cleanly; its state in %s is kept for the next start",
                        applicationId, own);
            } else {
                LOG.warnf(
                        "status view %s: not closed cleanly (%s); the next start replays the log",
                        applicationId, state);
            }
        } catch (IOException e) {
            LOG.warnf("status view %s: could not mark its state: %s", applicationId, e.toString());
        }
    }

    /** The marker's first line, or null if it is empty or unreadable (a marker of an older gateway). */
    private static String layoutOf(Path marker) {
        try (var lines = Files.lines(marker, StandardCharsets.UTF_8)) {
            return lines.findFirst()
                    .map(String::strip)
                    .filter(l -> l.startsWith("layout "))
                    .orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** Removes every view state directory under the root that is not this replica's and that no instance locks. */
    List<String> removeUnowned() throws IOException {
        List<String> gone = new ArrayList<>();
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(root)) {
            candidates = entries.filter(p -> p.getFileName().toString().startsWith(APPLICATION_ID_PREFIX))
                    .filter(p -> !p.getFileName().toString().equals(applicationId))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        }
        for (Path dir : candidates) {
            if (owned(dir)) {
                LOG.infof("status view: kept %s, a running instance owns it", dir.getFileName());
                continue;
            }
            long bytes = size(dir);
            delete(dir);
            gone.add(dir.getFileName() + " (" + megabytes(bytes) + ")");
        }
        if (!gone.isEmpty()) {
            LOG.infof("status view: removed state no instance owns in %s: %s", root, String.join(", ", gone));
        }
        return List.copyOf(gone);
    }

    /** Whether a running Kafka Streams instance (this JVM or another process) holds the directory's lock. */
    static boolean owned(Path dir) {
        Path lock = dir.resolve(".lock");
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = channel.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: keep it
        }
    }

    /**
     * Deletes the consumer group of this replica (after removing a static member a crashed run left in it), so that
     * Kafka Streams starts from the earliest offsets instead of from offsets whose state is gone.
     */
    private void resetGroup() {
        long deadline =
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.view().resetTimeoutMs());
        Exception last = null;
        try (Admin admin = clients.get().admin("view-reset", Map.of())) {
            while (System.nanoTime() < deadline) {
                try {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                            .all()
                            .get(10, TimeUnit.SECONDS)
                            .get(applicationId);
                    if (group == null || group.members().isEmpty() && isDead(group)) {
                        return;
                    }
                    if (!group.members().isEmpty()) {
                        admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions())
                                .all()
                                .get(10, TimeUnit.SECONDS);
                    }
                    admin.deleteConsumerGroups(List.of(applicationId)).all().get(10, TimeUnit.SECONDS);
                    LOG.infof("status view %s: deleted its consumer group (offsets without state)", applicationId);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        return;
                    }
                    last = e.getCause() instanceof Exception c ? c : e;
                    if (!(e.getCause() instanceof GroupNotEmptyException)) {
                        LOG.warnf("status view %s: resetting its consumer group: %s", applicationId, last);
                    }
                } catch (TimeoutException e) {
                    last = e;
                    LOG.warnf("status view %s: Kafka did not answer while resetting its consumer group", applicationId);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        throw new IllegalStateException("status view " + applicationId + ": could not delete its consumer group within "
                + config.view().resetTimeoutMs() + " ms, so it cannot replay from the beginning: " + last);
    }

    private static boolean isDead(ConsumerGroupDescription group) {
        String state = String.valueOf(group.groupState());
        return state.equals("DEAD") || state.equals("Dead");
    }

    static long size(Path dir) {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total.addAndGet(attrs.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: the size is for the log only
        }
        return total.get();
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    public String applicationId() {
        return applicationId;
    }

    public boolean ephemeral() {
        return ephemeral;
    }

    /** How the view started; null before {@link #prepare()}. */
    public Start start() {
        return start;
    }

    /** The directories removed at start, with their sizes. */
    public List<String> removed() {
        return removed;
    }

    /** Nanos ({@link System#nanoTime()}) when the view was prepared. */
    long startedAtNanos() {
        return startedAt.get();
    }
}
