package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private final EventCodec codec = EventCodec.forComponent("gateway");

    @Test
    void shouldWriteCloudEventsBinaryModeHeaders() {
        ProducerRecord<String, byte[]> record =
                codec.encode("genfleet.jobs.text.bulk", Samples.textJob(), TraceContext.of(TRACEPARENT));

        assertEquals("job-1", record.key());
        assertEquals("1.0", header(record.headers(), "ce_specversion"));
        assertEquals("dev.genfleet.job.submitted.v1", header(record.headers(), "ce_type"));
        assertEquals("job-1", header(record.headers(), "ce_subject"));
        assertEquals("urn:genfleet:gateway", header(record.headers(), "ce_source"));
        assertEquals("acme", header(record.headers(), "ce_tenant"));
        assertEquals(TRACEPARENT, header(record.headers(), "ce_traceparent"));
        assertEquals("https://genfleet.dev/schemas/job-request.v1.json", header(record.headers(), "ce_dataschema"));
        assertEquals("application/json", header(record.headers(), "content-type"));
    }

    @Test
    void shouldNameAuditAndControlTypesAfterTheirKind() {
        assertEquals(
                "dev.genfleet.audit.dead-lettered.v1",
                EventType.ceType(new AuditEvent(
                        "e",
                        AuditType.DEAD_LETTERED,
                        "j",
                        null,
                        null,
                        "t",
                        "w",
                        Samples.T0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        1,
                        null,
                        null,
                        null,
                        null)));
        assertEquals(
                "dev.genfleet.control.cancel-campaign.v1",
                EventType.ceType(Samples.all().get(8)));
    }

    @Test
    void shouldRoundTripEveryPayload() {
        for (GenfleetPayload payload : Samples.all()) {
            ProducerRecord<String, byte[]> record = codec.encode("t", payload, TraceContext.NONE);
            Decoded<? extends GenfleetPayload> decoded =
                    codec.decode(record.headers(), record.value(), payload.getClass());
            Decoded.Ok<?> ok = assertInstanceOf(Decoded.Ok.class, decoded, () -> payload + " -> " + decoded);
            assertEquals(payload.subject(), ((GenfleetPayload) ok.payload()).subject());
            assertNull(ok.trace().traceparent());
        }
    }

    @Test
    void shouldTurnPlainJsonWithoutCloudEventHeadersIntoTypedFailure() {
        Decoded<JobRequest> decoded = codec.decode(
                new RecordHeaders(), "{\"job_id\":\"x\"}".getBytes(StandardCharsets.UTF_8), JobRequest.class);
        assertEquals(Decoded.Codes.NOT_A_CLOUDEVENT, failure(decoded));
    }

    @Test
    void shouldRejectAnotherPayloadType() {
        ProducerRecord<String, byte[]> result = codec.encode("t", Samples.all().get(2), TraceContext.NONE);
        assertEquals(
                Decoded.Codes.UNEXPECTED_TYPE,
                failure(codec.decode(result.headers(), result.value(), JobRequest.class)));
    }

    @Test
    void shouldReportMalformedJsonAndInvalidPayloads() {
        Headers headers =
                codec.encode("t", Samples.textJob(), TraceContext.NONE).headers();
        assertEquals(
                Decoded.Codes.MALFORMED_DATA,
                failure(codec.decode(headers, "{not json".getBytes(StandardCharsets.UTF_8), JobRequest.class)));
        assertEquals(
                Decoded.Codes.INVALID_PAYLOAD,
                failure(codec.decode(
                        headers, "{\"attempt\":\"one\"}".getBytes(StandardCharsets.UTF_8), JobRequest.class)));
        assertEquals(
                Decoded.Codes.INVALID_PAYLOAD,
                failure(codec.decode(
                        headers,
                        "{\"job_id\":\"x\",\"attempt\":1}".getBytes(StandardCharsets.UTF_8),
                        JobRequest.class)));
        assertEquals(Decoded.Codes.EMPTY_RECORD, failure(codec.decode(headers, null, JobRequest.class)));
        assertEquals(
                Decoded.Codes.MALFORMED_DATA,
                failure(codec.decode(headers, new byte[] {(byte) 0xC3, (byte) 0x28}, JobRequest.class)));
    }

    @Test
    void shouldRefuseATenantHeaderThatContradictsThePayload() {
        ProducerRecord<String, byte[]> record = codec.encode("t", Samples.textJob(), TraceContext.NONE);
        record.headers().remove("ce_tenant").add("ce_tenant", "other".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                Decoded.Codes.INVALID_PAYLOAD,
                failure(codec.decode(record.headers(), record.value(), JobRequest.class)));
    }

    @Test
    void shouldNeverThrowOnRandomBytesAndHeaders() {
        Random random = new Random(7);
        Headers good = codec.encode("t", Samples.textJob(), TraceContext.NONE).headers();
        for (int i = 0; i < 2_000; i++) {
            byte[] value = new byte[random.nextInt(200)];
            random.nextBytes(value);
            RecordHeaders headers = new RecordHeaders();
            if (random.nextBoolean()) {
                good.forEach(headers::add);
            }
            if (random.nextInt(4) == 0) {
                byte[] junk = new byte[random.nextInt(20)];
                random.nextBytes(junk);
                headers.add(random.nextBoolean() ? "ce_specversion" : "ce_type", junk);
            }
            Decoded<JobRequest> decoded = codec.decode(headers, value, JobRequest.class); // must not throw
            assertInstanceOf(Decoded.Failed.class, decoded);
        }
    }

    @Test
    void shouldRefuseMalformedTraceparent() {
        assertThrows(IllegalArgumentException.class, () -> TraceContext.of("not-a-trace"));
    }

    private static String failure(Decoded<?> decoded) {
        return assertInstanceOf(Decoded.Failed.class, decoded, () -> "expected a failure, got " + decoded)
                .reason()
                .code();
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
