package dev.genfleet.schemas;

import io.cloudevents.CloudEvent;

/**
 * The outcome of reading one Kafka record: the typed payload, or why it could not be read. A
 * consumer never sees an exception from the codec; it sends a {@link Failed} record to the DLQ.
 */
public sealed interface Decoded<T extends GenfleetPayload> {

    /** A record that was read. {@code event} holds the CloudEvent attributes (id, type, trace). */
    record Ok<T extends GenfleetPayload>(T payload, CloudEvent event) implements Decoded<T> {

        /** The {@code traceparent} extension, or null. */
        public TraceContext trace() {
            Object parent = event.getExtension(EventCodec.TRACEPARENT);
            Object state = event.getExtension(EventCodec.TRACESTATE);
            return new TraceContext(parent == null ? null : parent.toString(), state == null ? null : state.toString());
        }
    }

    /** A record that could not be read, with the reason an operator will see in the DLQ. */
    record Failed<T extends GenfleetPayload>(Reason reason) implements Decoded<T> {}

    /** Failure codes of {@link Failed}. */
    final class Codes {
        public static final String EMPTY_RECORD = ReasonCode.EMPTY_RECORD.name();
        public static final String NOT_A_CLOUDEVENT = ReasonCode.NOT_A_CLOUDEVENT.name();
        public static final String UNEXPECTED_TYPE = ReasonCode.UNEXPECTED_TYPE.name();
        public static final String MALFORMED_DATA = ReasonCode.MALFORMED_DATA.name();
        public static final String INVALID_PAYLOAD = ReasonCode.INVALID_PAYLOAD.name();

        private Codes() {}
    }
}
