package dev.genfleet.schemas;

import java.net.URI;
import java.util.Locale;

/**
 * The CloudEvents {@code type} and {@code dataschema} of each payload. Types are versioned
 * ({@code .v1}); a breaking change makes a {@code .v2} type beside it, never a silent change.
 */
public enum EventType {
    JOB_REQUEST(JobRequest.class, "job-request"),
    JOB_RESULT(JobResult.class, "job-result"),
    AUDIT_EVENT(AuditEvent.class, "audit-event"),
    CONTROL_COMMAND(ControlCommand.class, "control-command"),
    DEAD_LETTER(DeadLetter.class, "dead-letter"),
    MODEL_ANNOUNCEMENT(ModelAnnouncement.class, "model-announcement");

    public static final String TYPE_PREFIX = "dev.genfleet.";
    public static final String VERSION = "v1";
    public static final String SCHEMA_BASE = "https://genfleet.dev/schemas/";
    /** Classpath folder of the JSON Schemas. */
    public static final String SCHEMA_RESOURCE_DIR = "genfleet/schemas/";

    private final Class<? extends GenfleetPayload> payloadType;
    private final String schemaName;

    EventType(Class<? extends GenfleetPayload> payloadType, String schemaName) {
        this.payloadType = payloadType;
        this.schemaName = schemaName;
    }

    public Class<? extends GenfleetPayload> payloadType() {
        return payloadType;
    }

    /** File name of the JSON Schema under {@link #SCHEMA_RESOURCE_DIR}. */
    public String schemaFile() {
        return schemaName + "." + VERSION + ".json";
    }

    /** The {@code $id} of the JSON Schema and the CloudEvents {@code dataschema}. */
    public URI dataSchema() {
        return URI.create(SCHEMA_BASE + schemaFile());
    }

    public static EventType of(Class<? extends GenfleetPayload> payloadClass) {
        for (EventType type : values()) {
            if (type.payloadType.equals(payloadClass)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a genfleet payload: " + payloadClass);
    }

    /**
     * The CloudEvents type of one payload, e.g. {@code dev.genfleet.job.submitted.v1},
     * {@code dev.genfleet.audit.dead-lettered.v1}, {@code dev.genfleet.control.cancel-job.v1}.
     */
    public static String ceType(GenfleetPayload payload) {
        String name = switch (payload.eventType()) {
            case JOB_REQUEST -> "job.submitted";
            case JOB_RESULT -> "job.result";
            case AUDIT_EVENT -> "audit." + kebab(((AuditEvent) payload).type().name());
            case CONTROL_COMMAND ->
                "control." + kebab(((ControlCommand) payload).action().name());
            case DEAD_LETTER -> "job.dead-letter";
            case MODEL_ANNOUNCEMENT -> "model.announced";
        };
        return TYPE_PREFIX + name + "." + VERSION;
    }

    /** True when {@code ceType} is a v1 type of this payload kind. */
    public boolean accepts(String ceType) {
        if (ceType == null || !ceType.startsWith(TYPE_PREFIX) || !ceType.endsWith("." + VERSION)) {
            return false;
        }
        String name = ceType.substring(TYPE_PREFIX.length(), ceType.length() - VERSION.length() - 1);
        return switch (this) {
            case JOB_REQUEST -> name.equals("job.submitted");
            case JOB_RESULT -> name.equals("job.result");
            case AUDIT_EVENT -> name.startsWith("audit.");
            case CONTROL_COMMAND -> name.startsWith("control.");
            case DEAD_LETTER -> name.equals("job.dead-letter");
            case MODEL_ANNOUNCEMENT -> name.equals("model.announced");
        };
    }

    private static String kebab(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
