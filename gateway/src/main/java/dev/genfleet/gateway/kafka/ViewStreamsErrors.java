package dev.genfleet.gateway.kafka;

import jakarta.inject.Singleton;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Kafka Streams (the status view) reports a failure that stopped it to {@link KafkaHealth}, so readiness says
 * why the view is not running (refused credentials or ACLs) instead of only its state. Quarkus installs this
 * bean as the view's uncaught exception handler. The answer stays Kafka's default, shutting the client down:
 * a view that stopped reading must not look current.
 */
@Singleton
public class ViewStreamsErrors implements StreamsUncaughtExceptionHandler {

    /** Kafka Streams' name in readiness. */
    public static final String CLIENT = "status-view";

    private final KafkaHealth health;

    public ViewStreamsErrors(KafkaHealth health) {
        this.health = health;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        health.failed(CLIENT, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
