package dev.genfleet.worker.config;

import dev.genfleet.schemas.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every worker setting, with its default; see the worker README for the full table. */
@ConfigMapping(prefix = "genfleet.worker")
public interface WorkerConfig {

    /** Unique per running worker: names its transactional producers and appears in results and audit. */
    String id();

    /** The pool this worker serves: it consumes {@code genfleet.jobs.<pool>.interactive} and {@code .bulk}. */
    @WithDefault("text")
    String pool();

    /** Models hosted, as {@code id} (latest version) or {@code id:version}. */
    @WithDefault("copy-gpt")
    List<String> models();

    /** Model directories, laid out {@code <id>/<version>/}; the first holding a model wins. */
    @WithDefault("models")
    List<String> modelDir();

    /** {@code auto}: the GPU when DJL sees one, else the CPU; or {@code cpu}, {@code gpu}, {@code gpu:1}. */
    @WithDefault("auto")
    String device();

    Batch batch();

    Retry retry();

    /** Topic names; defaults are {@link Topics}' (the AsyncAPI document's), declared nowhere else. */
    TopicNames topics();

    /** The claim-check store for large images (worker README, "Claim check"); unset = every image inline. */
    Blobs blobs();

    /** How long a SIGTERM waits for batches in flight to finish, publish and commit. */
    @WithDefault("30s")
    Duration drainTimeout();

    /**
     * Largest record a worker writes, in bytes as the producer counts them (key, value, headers and
     * batch overhead). Also the transactional producers' {@code max.request.size}; equal to the
     * {@code max.message.bytes} of the results, audit and DLQ topics (asyncapi.yaml, the chart) and at
     * most the broker's {@code message.max.bytes}. A job whose result would be larger is dead-lettered
     * with {@code RESULT_TOO_LARGE} instead of failing its whole transaction.
     */
    @WithDefault("8388608")
    int maxRecordBytes();

    /**
     * {@code transaction.timeout.ms} of the three transactional producers (application.properties reads it):
     * how long a transaction left open by a worker that died holds back {@code read_committed} readers of its
     * partitions, unless a worker with the same id starts first and aborts it. Declared here so that setting it
     * (system property, env {@code GENFLEET_WORKER_TRANSACTION_TIMEOUT_MS}) is a known setting.
     */
    @WithDefault("10000")
    int transactionTimeoutMs();

    /**
     * How far back, in offsets of its partition, a job record is recognised as a repeat of an earlier record of
     * the same job (a submission retried while its first publish was in doubt): the repeat then has no outcome
     * of its own. A worker reads back this many records before its committed offset when it is assigned a
     * partition.
     */
    @WithDefault("5000")
    long duplicateWindow();

    /** Most cancelled job and campaign ids remembered. */
    @WithDefault("100000")
    int cancellationMemory();

    /**
     * Fault injection for the crash tests, never set in production: {@code after-generation} halts
     * the JVM when a batch has been generated, {@code in-transaction} after its records were sent
     * inside the open transaction, before the commit.
     */
    Optional<String> haltAt();

    interface Batch {
        /** A batch closes when this many jobs wait. */
        @WithDefault("16")
        int maxSize();

        /** ... or when the oldest waiting job has waited this long. */
        @WithDefault("5ms")
        Duration maxWait();

        /**
         * {@code max.poll.records} of each bulk lane: several model batches per transaction, so the
         * commit is paid once per poll rather than once per batch (the interactive channel polls
         * {@code max-size} records: its jobs should not wait for company).
         */
        @WithDefault("64")
        int bulkPollRecords();

        /** At most this many jobs wait per model (the consumers pause beyond it). */
        @WithDefault("256")
        int capacity();
    }

    interface Blobs {
        /**
         * The blob store's directory, shared with the gateways (the local fleet: {@code .genfleet/data/blobs}; the
         * chart: a ReadWriteMany volume). Unset: no claim checks, every image inline, and a result too large for
         * its record is dead-lettered with {@code RESULT_TOO_LARGE}.
         */
        Optional<String> dir();

        /**
         * With a store, an image whose PNG is larger than this many bytes goes by claim check; so does every image
         * of a result whose records would not fit inline. 0: every image by claim check; negative refuses to start.
         */
        @WithDefault("262144")
        int inlineMaxBytes();
    }

    interface Retry {
        /** Attempts in all before a failing job is dead-lettered. */
        @WithDefault("3")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("2")
        double multiplier();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface TopicNames {
        @WithDefault(Topics.DEFAULT_JOBS_PREFIX)
        String jobsPrefix();

        @WithDefault(Topics.DEFAULT_RESULTS)
        String results();

        @WithDefault(Topics.DEFAULT_AUDIT)
        String audit();

        @WithDefault(Topics.DEFAULT_DEAD_LETTERS)
        String deadLetters();

        @WithDefault(Topics.DEFAULT_CONTROL)
        String control();

        @WithDefault(Topics.DEFAULT_MODELS)
        String models();
    }
}
