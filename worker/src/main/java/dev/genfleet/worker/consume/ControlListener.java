package dev.genfleet.worker.consume;

import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Reads every control command (each worker in its own group) and remembers cancellations. */
@ApplicationScoped
public class ControlListener {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);

    @Inject
    ModelHost host;

    private final EventCodec codec = EventCodec.forComponent("worker");

    @Incoming("control")
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        Decoded<ControlCommand> decoded = codec.decode(record, ControlCommand.class);
        if (decoded instanceof Decoded.Ok<ControlCommand> ok) {
            host.ready().thenRun(() -> host.cancellations().apply(ok.payload()));
        } else if (decoded instanceof Decoded.Failed<ControlCommand> failed) {
            LOG.warnf(
                    "ignoring unreadable control record %s-%d@%d: %s",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    failed.reason().message());
        }
    }
}
