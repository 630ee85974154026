package dev.genfleet.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Hand-written samples of every payload and a seeded generator of random valid ones. */
final class Samples {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private Samples() {}

    static List<GenfleetPayload> all() {
        return List.of(
                textJob(),
                imageJob(),
                new JobResult(
                        "job-1",
                        "acme",
                        "camp-1",
                        "r-001",
                        JobStatus.SUCCEEDED,
                        "copy-gpt",
                        "1",
                        new TextOutput("Hi Maria, our trail shoes are 20% off.", "stop", 12, 31),
                        null,
                        1,
                        T0.plusMillis(40),
                        T0.plusMillis(900),
                        "worker-text-1"),
                new JobResult(
                        "job-2",
                        "acme",
                        null,
                        null,
                        JobStatus.SUCCEEDED,
                        "banner-gan",
                        "1",
                        new ImageOutput(List.of(
                                new ImageArtifact(
                                        "image/png",
                                        SHA,
                                        32,
                                        32,
                                        7L,
                                        0.91,
                                        new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                                        null),
                                new ImageArtifact(
                                        "image/png",
                                        SHA,
                                        32,
                                        32,
                                        8L,
                                        0.52,
                                        null,
                                        "file:///var/genfleet/blobs/" + SHA))),
                        null,
                        1,
                        T0,
                        T0.plusSeconds(1),
                        "worker-image-1"),
                new JobResult(
                        "job-3",
                        "acme",
                        null,
                        null,
                        JobStatus.DEAD_LETTERED,
                        "copy-gpt",
                        "1",
                        null,
                        Reason.of("MODEL_ERROR", "inference failed 3 times"),
                        3,
                        null,
                        T0,
                        "worker-text-1"),
                new AuditEvent(
                        "evt-1",
                        AuditType.SUCCEEDED,
                        "job-1",
                        "camp-1",
                        "r-001",
                        "acme",
                        "worker-text-1",
                        T0,
                        "copy-gpt",
                        "1",
                        42L,
                        SHA,
                        SHA,
                        1,
                        null,
                        "worker-text-1",
                        850L,
                        Map.of("batch_size", "8")),
                new AuditEvent(
                        "evt-2",
                        AuditType.REJECTED,
                        "job-4",
                        null,
                        null,
                        "acme",
                        "gateway",
                        T0,
                        "copy-gpt",
                        null,
                        null,
                        SHA,
                        null,
                        0,
                        Reason.of("POLICY_PII_EMAIL", "prompt carries an e-mail address"),
                        null,
                        null,
                        null),
                new ControlCommand(
                        "cmd-1", ControlAction.CANCEL_JOB, "acme", "job-1", null, "tenant:acme", T0, "user asked"),
                new ControlCommand(
                        "cmd-2", ControlAction.CANCEL_CAMPAIGN, "acme", null, "camp-1", "tenant:acme", T0, null),
                new DeadLetter(
                        null,
                        null,
                        "genfleet.jobs.text.bulk",
                        3,
                        1207L,
                        "job-9",
                        "{not json".getBytes(StandardCharsets.UTF_8),
                        List.of(new DeadLetter.OriginalHeader(
                                "ce_type", "dev.genfleet.job.submitted.v1".getBytes(StandardCharsets.UTF_8))),
                        Reason.of(Decoded.Codes.MALFORMED_DATA, "Unexpected character"),
                        1,
                        T0,
                        "worker-text-1"),
                new ModelAnnouncement("worker-text-1", "text", "copy-gpt", "1", "TEXT", "cpu()", true, 16, T0),
                new AuditEvent(
                        "evt-3",
                        AuditType.REDRIVEN,
                        "job-3",
                        null,
                        null,
                        "acme",
                        "operator:maria",
                        T0.plusSeconds(600),
                        "copy-gpt",
                        null,
                        42L,
                        SHA,
                        null,
                        4,
                        null,
                        null,
                        null,
                        Map.of(
                                "dead_letter", "genfleet.jobs.dlq-1@17",
                                "dead_letter_reason", "MODEL_ERROR",
                                "dead_lettered_attempt", "3",
                                "source", "genfleet.jobs.text.interactive-5@1207",
                                "topic", "genfleet.jobs.text.interactive")));
    }

    static JobRequest textJob() {
        return new JobRequest(
                "job-1",
                "acme",
                "camp-1",
                "r-001",
                "copy-gpt",
                Priority.BULK,
                new TextInput(
                        "Write a short offer for Maria about trail shoes.", 64, 0.8, 40, 0.95, List.of("\n\n"), 42L),
                T0,
                T0.plusSeconds(3600),
                1,
                "https://hooks.example.com/genfleet",
                Map.of("channel", "email"));
    }

    private static TextInput textInput(Random r) {
        Brief brief = maybe(
                r,
                () -> new Brief(
                        pick(r, "Nimbus Pillow", "Ångström Lamp", "Zoë's Trail Mug"),
                        "light sleepers",
                        "deeper sleep",
                        maybe(r, () -> "20% off your first order"),
                        maybe(r, () -> pick(r, "friendly", "bold")),
                        maybe(r, () -> "Zoë")));
        return new TextInput(
                brief != null && r.nextBoolean() ? "" : text(r, 300),
                1 + r.nextInt(4096),
                r.nextDouble() * 5,
                r.nextInt(1000),
                r.nextDouble(),
                stops(r),
                r.nextLong(),
                brief,
                maybe(r, () -> List.of("Nimbus")),
                maybe(r, r::nextBoolean),
                1 + r.nextInt(TextInput.MAX_BEST_OF),
                maybe(r, () -> pick(r, TextInput.STRICT, TextInput.BEST_EFFORT)));
    }

    static JobRequest imageJob() {
        return new JobRequest(
                "job-2",
                "acme",
                null,
                null,
                "banner-gan",
                Priority.INTERACTIVE,
                new ImageInput(7L, 2, "sunset", 8, null),
                T0,
                null,
                1,
                null,
                null);
    }

    /** A random valid payload of the given kind; same seed, same payload. */
    static GenfleetPayload random(EventType type, Random r) {
        return switch (type) {
            case JOB_REQUEST ->
                new JobRequest(
                        id(r),
                        id(r),
                        maybe(r, () -> id(r)),
                        maybe(r, () -> text(r, 30)),
                        pick(r, "copy-gpt", "banner-gan", "x"),
                        r.nextBoolean() ? Priority.BULK : Priority.INTERACTIVE,
                        r.nextBoolean() ? textInput(r) : imageInput(r),
                        instant(r),
                        maybe(r, () -> instant(r)),
                        1 + r.nextInt(10),
                        maybe(r, () -> "https://h.example/" + r.nextInt(99)),
                        r.nextBoolean() ? Map.of(text(r, 8) + "k", text(r, 20)) : null);
            case JOB_RESULT -> result(r);
            case AUDIT_EVENT ->
                new AuditEvent(
                        id(r),
                        AuditType.values()[r.nextInt(AuditType.values().length)],
                        id(r),
                        maybe(r, () -> id(r)),
                        maybe(r, () -> text(r, 20)),
                        id(r),
                        text(r, 10) + "a",
                        instant(r),
                        maybe(r, () -> "copy-gpt"),
                        maybe(r, () -> "1"),
                        r.nextBoolean() ? r.nextLong() : null,
                        maybe(r, () -> sha(r)),
                        maybe(r, () -> sha(r)),
                        r.nextInt(1001),
                        r.nextBoolean() ? reason(r) : null,
                        maybe(r, () -> id(r)),
                        r.nextBoolean() ? (long) r.nextInt(1_000_000) : null,
                        r.nextBoolean() ? Map.of("k" + r.nextInt(9), text(r, 10)) : null);
            case CONTROL_COMMAND ->
                r.nextBoolean()
                        ? new ControlCommand(
                                id(r),
                                ControlAction.CANCEL_JOB,
                                id(r),
                                id(r),
                                maybe(r, () -> id(r)),
                                maybe(r, () -> id(r)),
                                instant(r),
                                maybe(r, () -> text(r, 40)))
                        : new ControlCommand(
                                id(r),
                                ControlAction.CANCEL_CAMPAIGN,
                                id(r),
                                maybe(r, () -> id(r)),
                                id(r),
                                maybe(r, () -> id(r)),
                                instant(r),
                                maybe(r, () -> text(r, 40)));
            case DEAD_LETTER ->
                new DeadLetter(
                        maybe(r, () -> id(r)),
                        maybe(r, () -> id(r)),
                        "genfleet.jobs.text.bulk",
                        r.nextInt(12),
                        r.nextInt(Integer.MAX_VALUE),
                        maybe(r, () -> text(r, 20)),
                        bytes(r),
                        List.of(new DeadLetter.OriginalHeader(text(r, 10), bytes(r))),
                        reason(r),
                        r.nextInt(10),
                        instant(r),
                        maybe(r, () -> id(r)));
            case MODEL_ANNOUNCEMENT ->
                new ModelAnnouncement(
                        id(r),
                        pick(r, "text", "image", "cpu-2"),
                        id(r),
                        "1",
                        pick(r, "TEXT", "IMAGE"),
                        maybe(r, () -> "cpu()"),
                        r.nextBoolean(),
                        r.nextInt(64),
                        instant(r));
        };
    }

    private static ImageInput imageInput(Random r) {
        int count = 1 + r.nextInt(16);
        return new ImageInput(
                r.nextLong(),
                count,
                maybe(r, () -> pick(r, "sunset", "ocean")),
                count + r.nextInt(64 - count + 1),
                r.nextBoolean() ? 8 + r.nextInt(1017) : null);
    }

    private static JobResult result(Random r) {
        JobStatus status = JobStatus.values()[r.nextInt(JobStatus.values().length)];
        JobOutput output = null;
        Reason error = null;
        if (status == JobStatus.SUCCEEDED) {
            output = r.nextBoolean()
                    ? new TextOutput(
                            text(r, 200),
                            pick(r, "stop", "length"),
                            r.nextInt(100),
                            r.nextInt(100),
                            maybe(
                                    r,
                                    () -> new CopyQuality(
                                            r.nextBoolean(),
                                            List.of(text(r, 20)),
                                            List.of(),
                                            r.nextDouble(),
                                            1 + r.nextInt(TextInput.MAX_BEST_OF))))
                    : new ImageOutput(List.of(
                            r.nextBoolean()
                                    ? new ImageArtifact(
                                            "image/png", sha(r), 32, 32, r.nextLong(), r.nextDouble(), bytes(r), null)
                                    : new ImageArtifact(
                                            "image/png",
                                            sha(r),
                                            64,
                                            64,
                                            r.nextLong(),
                                            null,
                                            null,
                                            "s3://b/" + r.nextInt(99))));
        } else {
            error = reason(r);
        }
        return new JobResult(
                id(r),
                id(r),
                maybe(r, () -> id(r)),
                maybe(r, () -> text(r, 20)),
                status,
                maybe(r, () -> "copy-gpt"),
                maybe(r, () -> "1"),
                output,
                error,
                r.nextInt(10),
                r.nextBoolean() ? instant(r) : null,
                instant(r),
                maybe(r, () -> id(r)),
                maybe(
                        r,
                        () -> RuntimeFingerprint.of(
                                sha(r),
                                "PyTorch 2.7.1",
                                maybe(r, () -> "0.36.0"),
                                pick(r, "cpu()", "gpu(0)"),
                                maybe(r, () -> pick(r, "avx2", "avx512_core_bf16")),
                                maybe(r, () -> text(r, 30)),
                                1 + r.nextInt(64),
                                1 + r.nextInt(8))));
    }

    private static List<String> stops(Random r) {
        List<String> stops = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            stops.add(text(r, 5) + ".");
        }
        return stops;
    }

    private static Reason reason(Random r) {
        return Reason.of(pick(r, "MODEL_ERROR", "MALFORMED_DATA", "POLICY_DENY_TERM"), text(r, 60));
    }

    private static String id(Random r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String sha(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(64)];
        r.nextBytes(b);
        return b;
    }

    private static Instant instant(Random r) {
        return Instant.ofEpochMilli(1_600_000_000_000L + (long) (r.nextDouble() * 200_000_000_000L));
    }

    private static final String ALPHABET = "abc XYZ 0123 äöü ß é 日本語 🚀 \"quotes\" \\ / \n\t<>&'{}";

    /** Text with unicode, escapes and emoji (surrogate pairs kept whole). */
    static String text(Random r, int maxLen) {
        int[] cps = ALPHABET.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(cps[r.nextInt(cps.length)]);
        }
        return sb.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static <T> T maybe(Random r, java.util.function.Supplier<T> value) {
        return r.nextBoolean() ? value.get() : null;
    }

    static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
