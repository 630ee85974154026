package dev.genfleet.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The operator's tool for {@code genfleet.jobs.dlq} ({@code ./genfleet dlq}): {@code list} the dead letters,
 * {@code show} one job's, {@code redrive} chosen jobs. Like {@link TopicProvisioner} and {@link FleetLag} it takes
 * a Kafka client properties file ({@link KafkaClientProperties}) as its first argument.
 *
 * <p>Reads are {@code read_committed} and bounded by the end offsets taken when the read starts, so the tool
 * never waits for records written after it started (nor for an open transaction longer than 60 s).
 *
 * <p>A redrive of job {@code j}, whose committed result is DEAD_LETTERED at attempt {@code n}, writes in one
 * Kafka transaction: the request of its newest dead letter, unchanged but for {@code attempt = n + 1}, to the
 * jobs topic it came from (same key, so the same partition; its trace and its non-CloudEvents headers such as
 * {@code genfleet-request-sha256} kept, plus {@value #REDRIVE_OF_HEADER} naming the dead letter), and a
 * {@link AuditType#REDRIVEN} audit event of attempt {@code n + 1} whose actor is {@code operator:<name>}. A job
 * whose committed result is not DEAD_LETTERED (unknown, or redriven and finished since) is refused. A redrive
 * repeated before attempt {@code n + 1} finished writes attempt {@code n + 1} again, which workers treat as a
 * repeat of the same attempt (no second outcome) and the status view as the reopening it already folded.
 */
public final class DeadLetters {

    /** Header of a redriven job record: the dead letter it came from ({@code <dlq topic>-<partition>@<offset>}). */
    public static final String REDRIVE_OF_HEADER = "genfleet-redrive-of";
    /** Prefix of the redrive's {@code transactional.id}: an operator's Kafka user needs Write on it. */
    public static final String TRANSACTIONAL_ID_PREFIX = "genfleet-operator-";

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int MESSAGE_WIDTH = 160;

    private final Map<String, Object> kafka;
    private final Topics topics;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final EventCodec codec = EventCodec.forComponent("operator");

    /** One dead letter as read, and where it sits on the DLQ. */
    public record Entry(DeadLetter letter, int partition, long offset, String dlqTopic) {
        public String position() {
            return dlqTopic + "-" + partition + "@" + offset;
        }
    }

    public DeadLetters(Map<String, Object> kafka, Topics topics, PrintStream out, PrintStream err, Clock clock) {
        this.kafka = Map.copyOf(kafka);
        this.topics = topics;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final String USAGE_TEXT = String.join(
            "\n",
            "usage: DeadLetters <Kafka client properties file> <command> [options]",
            "  list [--tenant T] [--reason CODE] [--since 2026-11-30T10:00:00Z|90m|2h|3d]",
            "      the dead letters, newest last: job id, tenant, reason, attempts, failed_at, worker, source, message",
            "  show <job id>",
            "      the job's newest dead letter as JSON, the original record's value and headers included",
            "  redrive <job id>... | --reason CODE | --all   [--tenant T] [--dry-run] [--actor NAME]",
            "      re-submits each job whose committed result is still DEAD_LETTERED with attempt + 1, audited",
            "      (REDRIVEN, actor operator:<--actor or $USER>); refuses named jobs that are not dead-lettered",
            "options of every command: --dlq-topic, --results-topic, --audit-topic (default: the AsyncAPI names)");

    /** Runs one command; the exit status: 0 done, 1 refused or not found, 2 usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args[1].equals("--help") || args[1].equals("-h")) {
            (args.length < 2 ? err : out).println(USAGE_TEXT);
            return args.length < 2 ? USAGE : OK;
        }
        Options o;
        try {
            o = Options.parse(List.of(args).subList(2, args.length));
        } catch (IllegalArgumentException e) {
            err.println("dlq " + args[1] + ": " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (o.help) {
            out.println(USAGE_TEXT);
            return OK;
        }
        Topics defaults = Topics.defaults();
        Topics topics = new Topics(
                defaults.jobsPrefix(),
                o.resultsTopic != null ? o.resultsTopic : defaults.results(),
                o.auditTopic != null ? o.auditTopic : defaults.audit(),
                o.dlqTopic != null ? o.dlqTopic : defaults.deadLetters(),
                defaults.control(),
                defaults.models());
        Map<String, Object> config;
        try {
            config = KafkaClientProperties.load(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        DeadLetters tool = new DeadLetters(config, topics, out, err, Clock.systemUTC());
        try {
            return switch (args[1]) {
                case "list" -> tool.list(o.tenant, o.reason, o.since);
                case "show" -> {
                    if (o.jobIds.size() != 1) {
                        err.println("dlq show: name one job id");
                        yield USAGE;
                    }
                    yield tool.show(o.jobIds.get(0));
                }
                case "redrive" -> {
                    int chosen = (o.jobIds.isEmpty() ? 0 : 1) + (o.all ? 1 : 0) + (o.reason != null ? 1 : 0);
                    if (chosen != 1) {
                        err.println("dlq redrive: name job ids, or --reason CODE, or --all (one of them)");
                        yield USAGE;
                    }
                    String actor = o.actor != null ? o.actor : System.getenv("USER");
                    if (actor == null || actor.isBlank()) {
                        err.println("dlq redrive: who redrives? --actor NAME (or $USER)");
                        yield USAGE;
                    }
                    yield tool.redrive(o.jobIds, o.reason, o.all, o.tenant, o.dryRun, actor);
                }
                default -> {
                    err.println("dlq: unknown command '" + args[1] + "'");
                    err.println(USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (RuntimeException e) {
            err.println("dlq " + args[1] + ": " + e.getMessage());
            return REFUSED;
        }
    }

    // ---- list -----------------------------------------------------------------------------------

    public int list(String tenant, String reason, Instant since) {
        List<Entry> entries = readDeadLetters().stream()
                .filter(e -> tenant == null || tenant.equals(e.letter().tenant()))
                .filter(e -> reason == null
                        || reason.equalsIgnoreCase(e.letter().reason().code()))
                .filter(e -> since == null || !e.letter().failedAt().isBefore(since))
                .toList();
        out.println(String.join(
                "\t", "job_id", "tenant", "reason", "attempts", "failed_at", "worker", "source", "message"));
        for (Entry e : entries) {
            DeadLetter d = e.letter();
            out.println(String.join(
                    "\t",
                    orDash(d.jobId()),
                    orDash(d.tenant()),
                    d.reason().code(),
                    Integer.toString(d.attempts()),
                    d.failedAt().toString(),
                    orDash(d.workerId()),
                    d.sourceTopic() + "-" + d.sourcePartition() + "@" + d.sourceOffset(),
                    oneLine(d.reason().message())));
        }
        err.println(entries.size() + " dead letter(s)");
        return OK;
    }

    // ---- show -----------------------------------------------------------------------------------

    public int show(String jobId) {
        List<Entry> ofJob = readDeadLetters().stream()
                .filter(e -> jobId.equals(e.letter().jobId())
                        || jobId.equals(e.letter().key()))
                .toList();
        if (ofJob.isEmpty()) {
            err.println("dlq show: no dead letter of job " + jobId + " on " + topics.deadLetters());
            return REFUSED;
        }
        Entry newest = ofJob.get(ofJob.size() - 1);
        Optional<JobResult> result = newest.letter().jobId() == null
                ? Optional.empty()
                : Optional.ofNullable(committedResults(Set.of(jobId)).get(jobId));
        out.println(describe(newest, ofJob.size() - 1, result));
        return OK;
    }

    String describe(Entry entry, int earlier, Optional<JobResult> result) {
        DeadLetter d = entry.letter();
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("dlq", entry.position());
        ObjectNode letter = Json.mapper().valueToTree(d);
        letter.remove("value");
        letter.remove("headers");
        node.set("dead_letter", letter);
        ObjectNode original = node.putObject("original");
        ObjectNode headers = original.putObject("headers");
        for (DeadLetter.OriginalHeader h : d.headers()) {
            headers.put(h.name(), text(h.value()));
        }
        if (d.value() != null) {
            try {
                original.set("value", Json.mapper().readTree(d.value()));
            } catch (IOException e) {
                original.put("value", text(d.value()));
            }
        }
        node.put("earlier_dead_letters_of_job", earlier);
        result.ifPresentOrElse(
                r -> {
                    ObjectNode committed = node.putObject("committed_result");
                    committed.put("status", r.status().name());
                    committed.put("attempt", r.attempt());
                    committed.put("finished_at", r.finishedAt().toString());
                },
                () -> node.putNull("committed_result"));
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- redrive --------------------------------------------------------------------------------

    /** What a redrive of one job writes, decided before anything is written. */
    record Plan(Entry entry, JobRequest request, TraceContext trace, int deadAttempt, int nextAttempt) {}

    public int redrive(List<String> jobIds, String reason, boolean all, String tenant, boolean dryRun, String actor) {
        Map<String, Entry> newestByJob = new LinkedHashMap<>();
        for (Entry e : readDeadLetters()) {
            if (e.letter().jobId() != null) {
                newestByJob.remove(e.letter().jobId()); // keep newest last
                newestByJob.put(e.letter().jobId(), e);
            }
        }
        boolean named = !jobIds.isEmpty();
        List<String> candidates = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (named) {
            for (String id : new LinkedHashSet<>(jobIds)) {
                Entry e = newestByJob.get(id);
                if (e == null) {
                    refusals.add(id + ": no dead letter of this job on " + topics.deadLetters());
                } else if (tenant != null && !tenant.equals(e.letter().tenant())) {
                    refusals.add(id + ": belongs to tenant " + e.letter().tenant() + ", not " + tenant);
                } else {
                    candidates.add(id);
                }
            }
        } else {
            newestByJob.forEach((id, e) -> {
                if ((all || reason.equalsIgnoreCase(e.letter().reason().code()))
                        && (tenant == null || tenant.equals(e.letter().tenant()))) {
                    candidates.add(id);
                }
            });
        }
        Map<String, JobResult> results =
                candidates.isEmpty() ? Map.of() : committedResults(new LinkedHashSet<>(candidates));
        List<Plan> plans = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String id : candidates) {
            Entry e = newestByJob.get(id);
            String refusal = refusal(e, results.get(id));
            if (refusal != null) {
                (named ? refusals : skipped).add(id + ": " + refusal);
                continue;
            }
            plans.add(plan(e, results.get(id)));
        }
        refusals.forEach(r -> err.println("dlq redrive: refused: " + r));
        skipped.forEach(r -> err.println("dlq redrive: skipped: " + r));
        if (!refusals.isEmpty()) {
            err.println("dlq redrive: nothing written (" + refusals.size() + " refused)");
            return REFUSED;
        }
        for (Plan p : plans) {
            String deadline =
                    p.request().deadline() != null && p.request().deadline().isBefore(clock.instant())
                            ? " (its deadline " + p.request().deadline() + " has passed: the worker will expire it)"
                            : "";
            out.println((dryRun ? "would redrive " : "redrive ")
                    + p.request().jobId()
                    + " tenant=" + p.request().tenant()
                    + " attempt " + p.deadAttempt() + " -> " + p.nextAttempt()
                    + " to " + p.entry().letter().sourceTopic()
                    + " (dead letter " + p.entry().position() + ", "
                    + p.entry().letter().reason().code() + ")"
                    + deadline);
        }
        if (plans.isEmpty()) {
            err.println("dlq redrive: no dead-lettered job matched");
            return named ? REFUSED : OK;
        }
        if (dryRun) {
            err.println("dlq redrive: dry run, nothing written (" + plans.size() + " job(s))");
            return OK;
        }
        write(plans, "operator:" + actor);
        err.println("dlq redrive: " + plans.size() + " job(s) redriven in one transaction");
        return OK;
    }

    /** Why a job cannot be redriven now, or null. */
    private String refusal(Entry e, JobResult result) {
        if (result == null) {
            return "no committed result on " + topics.results() + " (unknown job, or not decided yet)";
        }
        if (result.status() != JobStatus.DEAD_LETTERED) {
            return "its committed result is " + result.status() + " (attempt " + result.attempt()
                    + "): it is not dead-lettered any more";
        }
        if (!(decodeOriginal(e.letter()) instanceof Decoded.Ok<JobRequest> ok)) {
            return "its dead letter holds no readable job request ("
                    + e.letter().reason().code() + ")";
        }
        if (!ok.payload().jobId().equals(e.letter().jobId())
                || !ok.payload().tenant().equals(result.tenant())) {
            return "its dead letter's request names another job or tenant";
        }
        int next = Math.max(
                        result.attempt(),
                        Math.max(e.letter().attempts(), ok.payload().attempt()))
                + 1;
        if (next > 1000) {
            return "attempt " + next + " is past the most a job may have (1000)";
        }
        return null;
    }

    private Plan plan(Entry e, JobResult result) {
        Decoded.Ok<JobRequest> ok = (Decoded.Ok<JobRequest>) decodeOriginal(e.letter());
        int dead = Math.max(
                result.attempt(), Math.max(e.letter().attempts(), ok.payload().attempt()));
        return new Plan(e, ok.payload(), ok.trace(), dead, dead + 1);
    }

    private Decoded<JobRequest> decodeOriginal(DeadLetter d) {
        RecordHeaders headers = new RecordHeaders();
        d.headers().forEach(h -> headers.add(h.name(), h.value()));
        return codec.decode(headers, d.value(), JobRequest.class);
    }

    private void write(List<Plan> plans, String actor) {
        Map<String, Object> settings = only(ProducerConfig.configNames());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID_PREFIX + UUID.randomUUID());
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "genfleet-dlq-redrive");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                Instant now = clock.instant();
                for (Plan p : plans) {
                    producer.send(jobRecord(p));
                    producer.send(codec.encode(topics.audit(), auditEvent(p, actor, now), p.trace()));
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException ignored) {
                    // the broker aborts it after the transaction timeout
                }
                throw new IllegalStateException("redrive not written (transaction aborted): " + e.getMessage(), e);
            }
        }
    }

    /** The job's request again, attempt raised, to the topic it came from, with its own headers kept. */
    ProducerRecord<String, byte[]> jobRecord(Plan p) {
        DeadLetter d = p.entry().letter();
        ProducerRecord<String, byte[]> record =
                codec.encode(d.sourceTopic(), p.request().withAttempt(p.nextAttempt()), p.trace());
        for (DeadLetter.OriginalHeader h : d.headers()) {
            String name = h.name();
            if (!name.startsWith("ce_") && !name.equalsIgnoreCase("content-type") && !name.equals(REDRIVE_OF_HEADER)) {
                record.headers().add(name, h.value());
            }
        }
        record.headers().add(REDRIVE_OF_HEADER, p.entry().position().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    AuditEvent auditEvent(Plan p, String actor, Instant now) {
        JobRequest job = p.request();
        DeadLetter d = p.entry().letter();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("dead_letter", p.entry().position());
        details.put("dead_letter_reason", d.reason().code());
        details.put("dead_lettered_attempt", Integer.toString(p.deadAttempt()));
        details.put("source", d.sourceTopic() + "-" + d.sourcePartition() + "@" + d.sourceOffset());
        details.put("topic", d.sourceTopic());
        return AuditEvent.redriven(UUID.randomUUID().toString(), job, actor, now, p.nextAttempt(), details);
    }

    // ---- reading --------------------------------------------------------------------------------

    /** Every committed dead letter, newest last (by failed_at, then position). Unreadable records are skipped. */
    public List<Entry> readDeadLetters() {
        List<Entry> entries = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            readToEnd(c, partitionsOf(c, topics.deadLetters()), r -> {
                if (r.value() != null && codec.decode(r, DeadLetter.class) instanceof Decoded.Ok<DeadLetter> ok) {
                    entries.add(new Entry(ok.payload(), r.partition(), r.offset(), r.topic()));
                }
            });
        }
        entries.sort(Comparator.comparing((Entry e) -> e.letter().failedAt())
                .thenComparing(Entry::partition)
                .thenComparingLong(Entry::offset));
        return entries;
    }

    /**
     * The committed result of each job (the last one in its partition of the compacted results topic), reading
     * only the partitions those job ids hash to.
     */
    public Map<String, JobResult> committedResults(Set<String> jobIds) {
        Map<String, JobResult> results = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> all = partitionsOf(c, topics.results());
            Set<TopicPartition> needed = new LinkedHashSet<>();
            for (String id : jobIds) {
                int p = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % all.size();
                needed.add(new TopicPartition(topics.results(), p));
            }
            readToEnd(c, List.copyOf(needed), r -> {
                if (r.key() != null && jobIds.contains(r.key()) && r.value() != null) {
                    if (codec.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok
                            && ok.payload().jobId().equals(r.key())) {
                        results.put(r.key(), ok.payload());
                    }
                }
            });
        }
        return results;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> settings = only(ConsumerConfig.configNames());
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "genfleet-dlq");
        settings.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> only(Set<String> names) {
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (names.contains(k)) {
                settings.put(k, v);
            }
        });
        return settings;
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(15));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (or this user may not describe it)");
        }
        return infos.stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** Reads {@code partitions} from their start to the end offsets taken now (read_committed: the LSO). */
    private static void readToEnd(
            KafkaConsumer<String, byte[]> c,
            List<TopicPartition> partitions,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        c.assign(partitions);
        c.seekToBeginning(partitions);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        Set<TopicPartition> open = new LinkedHashSet<>(partitions);
        open.removeIf(tp -> c.position(tp) >= ends.get(tp));
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + open + " to its end within "
                        + READ_TIMEOUT.toSeconds() + " s (an open transaction, or the broker away)");
            }
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                    each.accept(r);
                }
            }
            // a read_committed position may pass the end without a record (a transaction marker)
            open.removeIf(tp -> c.position(tp) >= ends.get(tp));
            c.pause(partitions.stream().filter(tp -> !open.contains(tp)).toList());
        }
    }

    // ---- text -----------------------------------------------------------------------------------

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\t\\r\\n]+", " ");
        return flat.length() > MESSAGE_WIDTH ? flat.substring(0, MESSAGE_WIDTH - 1) + "…" : flat;
    }

    /** UTF-8 text when the bytes are valid UTF-8, else {@code base64:<...>}. */
    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(bytes);
        }
    }

    /** The command line after the command name. */
    static final class Options {
        final List<String> jobIds = new ArrayList<>();
        String tenant;
        String reason;
        Instant since;
        boolean all;
        boolean dryRun;
        boolean help;
        String actor;
        String dlqTopic;
        String resultsTopic;
        String auditTopic;

        static Options parse(List<String> args) {
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--help", "-h" -> o.help = true;
                    case "--all" -> o.all = true;
                    case "--dry-run" -> o.dryRun = true;
                    case "--tenant" -> o.tenant = value(args, ++i, a);
                    case "--reason" -> o.reason = value(args, ++i, a).toUpperCase(Locale.ROOT);
                    case "--since" -> o.since = since(value(args, ++i, a), Clock.systemUTC());
                    case "--actor" -> o.actor = value(args, ++i, a);
                    case "--dlq-topic" -> o.dlqTopic = value(args, ++i, a);
                    case "--results-topic" -> o.resultsTopic = value(args, ++i, a);
                    case "--audit-topic" -> o.auditTopic = value(args, ++i, a);
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        o.jobIds.add(a);
                    }
                }
            }
            return o;
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size() || args.get(i).isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }
    }

    /** An instant ({@code 2026-11-30T10:00:00Z}) or an age before now ({@code 45s}, {@code 90m}, {@code 2h}, {@code 3d}). */
    static Instant since(String text, Clock clock) {
        var age = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd])").matcher(text);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--since: '" + text + "' is neither an instant (2026-11-30T10:00:00Z) nor an age (90m, 2h, 3d)");
        }
    }
}
