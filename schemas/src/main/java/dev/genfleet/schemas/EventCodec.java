package dev.genfleet.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns payloads into Kafka records and back, as CloudEvents 1.0 in Kafka binary mode ({@code ce_*}
 * headers, JSON data), through the CloudEvents SDK. Thread-safe.
 *
 * <p>Attributes: {@code type} from {@link EventType#ceType}, {@code subject} and the Kafka key = the
 * payload's subject (the job id), {@code dataschema} = the JSON Schema's {@code $id}, extensions
 * {@code tenant}, {@code traceparent} and {@code tracestate}.
 */
public final class EventCodec {

    public static final String TENANT = "tenant";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String CONTENT_TYPE = "application/json";

    private final URI source;

    /** @param source the CloudEvents source of what this codec writes, e.g. {@code urn:genfleet:gateway} */
    public EventCodec(URI source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public static EventCodec forComponent(String component) {
        return new EventCodec(URI.create("urn:genfleet:" + component));
    }

    /** The CloudEvent for a payload. */
    public CloudEvent toCloudEvent(GenfleetPayload payload, TraceContext trace) {
        EventType type = payload.eventType();
        byte[] data;
        try {
            data = Json.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(eventId(payload))
                .withSource(source)
                .withType(EventType.ceType(payload))
                .withSubject(payload.subject())
                .withTime(java.time.OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType(CONTENT_TYPE)
                .withDataSchema(type.dataSchema())
                .withData(data);
        if (payload.tenant() != null) {
            builder.withExtension(TENANT, payload.tenant());
        }
        if (trace != null && trace.traceparent() != null) {
            builder.withExtension(TRACEPARENT, trace.traceparent());
            if (trace.tracestate() != null) {
                builder.withExtension(TRACESTATE, trace.tracestate());
            }
        }
        return builder.build();
    }

    /** A Kafka record for {@code topic}, keyed by the payload's subject. */
    public ProducerRecord<String, byte[]> encode(String topic, GenfleetPayload payload, TraceContext trace) {
        return KafkaMessageFactory.createWriter(topic, payload.subject()).writeBinary(toCloudEvent(payload, trace));
    }

    /** Reads a consumed record; never throws. */
    public <T extends GenfleetPayload> Decoded<T> decode(ConsumerRecord<?, byte[]> record, Class<T> payloadType) {
        return decode(record.headers(), record.value(), payloadType);
    }

    /** Reads a record from its headers and value; never throws. */
    public <T extends GenfleetPayload> Decoded<T> decode(Headers headers, byte[] value, Class<T> payloadType) {
        EventType expected = EventType.of(payloadType);
        if (value == null || value.length == 0) {
            return failed(Decoded.Codes.EMPTY_RECORD, "record has no value");
        }
        CloudEvent event;
        try {
            MessageReader reader = KafkaMessageFactory.createReader(headers, value);
            event = reader.toEvent();
        } catch (RuntimeException e) {
            return failed(Decoded.Codes.NOT_A_CLOUDEVENT, "not a CloudEvent in Kafka binary mode: " + e.getMessage());
        }
        if (!expected.accepts(event.getType())) {
            return failed(
                    Decoded.Codes.UNEXPECTED_TYPE,
                    "type '" + event.getType() + "' is not a " + expected.name().toLowerCase() + " v1 type");
        }
        if (event.getData() == null) {
            return failed(Decoded.Codes.EMPTY_RECORD, "CloudEvent has no data");
        }
        T payload;
        try {
            payload = Json.mapper().readValue(event.getData().toBytes(), payloadType);
        } catch (ValueInstantiationException e) { // a record constructor refused a field
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return failed(Decoded.Codes.INVALID_PAYLOAD, cause.getMessage());
        } catch (JsonMappingException e) { // JSON, but wrong types or missing fields
            return failed(Decoded.Codes.INVALID_PAYLOAD, e.getOriginalMessage());
        } catch (Exception e) { // not JSON at all: syntax errors, bad UTF-8, truncated input
            String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return failed(Decoded.Codes.MALFORMED_DATA, message);
        }
        Object tenant = event.getExtension(TENANT);
        if (tenant != null && payload.tenant() != null && !tenant.toString().equals(payload.tenant())) {
            return failed(
                    Decoded.Codes.INVALID_PAYLOAD,
                    "tenant extension '" + tenant + "' does not match payload tenant '" + payload.tenant() + "'");
        }
        return new Decoded.Ok<>(payload, event);
    }

    private static <T extends GenfleetPayload> Decoded<T> failed(String code, String message) {
        return new Decoded.Failed<>(Reason.of(code, message == null ? code : message));
    }

    private static String eventId(GenfleetPayload payload) {
        if (payload instanceof AuditEvent audit) {
            return audit.eventId();
        }
        if (payload instanceof ControlCommand command) {
            return command.commandId();
        }
        return UUID.randomUUID().toString();
    }
}
