package dev.genfleet.schemas;

import java.util.regex.Pattern;

/**
 * W3C trace context carried with every record as the CloudEvents distributed-tracing extension
 * ({@code ce_traceparent}, {@code ce_tracestate} in Kafka binary mode).
 */
public record TraceContext(String traceparent, String tracestate) {

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    public TraceContext {
        if (traceparent != null && !TRACEPARENT.matcher(traceparent).matches()) {
            throw new IllegalArgumentException("traceparent: not a W3C trace context: " + traceparent);
        }
    }

    public static final TraceContext NONE = new TraceContext(null, null);

    public static TraceContext of(String traceparent) {
        return new TraceContext(traceparent, null);
    }
}
