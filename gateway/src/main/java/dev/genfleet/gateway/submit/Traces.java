package dev.genfleet.gateway.submit;

import dev.genfleet.schemas.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The W3C trace context of the current span (the HTTP request's, from quarkus-opentelemetry). */
public final class Traces {

    private Traces() {}

    public static TraceContext current() {
        SpanContext ctx = Span.current().getSpanContext();
        if (!ctx.isValid()) {
            return TraceContext.NONE;
        }
        String parent = "00-" + ctx.getTraceId() + "-" + ctx.getSpanId() + "-"
                + ctx.getTraceFlags().asHex();
        String state = ctx.getTraceState().isEmpty()
                ? null
                : ctx.getTraceState().asMap().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .reduce((a, b) -> a + "," + b)
                        .orElse(null);
        return new TraceContext(parent, state);
    }
}
