package dev.genfleet.worker.consume;

import ai.djl.Device;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.worker.batch.BatchSettings;
import dev.genfleet.worker.batch.Batcher;
import dev.genfleet.worker.config.WorkerConfig;
import dev.genfleet.worker.model.HostedModel;
import dev.genfleet.worker.model.ModelRegistry;
import dev.genfleet.worker.publish.Publisher;
import dev.genfleet.worker.run.CancellationRegistry;
import dev.genfleet.worker.run.JobProcessor;
import dev.genfleet.worker.run.Outcome;
import dev.genfleet.worker.run.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The models this worker hosts, each with its processor and batcher. Loads and warms them at start;
 * {@link #ready()} completes when every model has generated once.
 */
@ApplicationScoped
public class HostedModels {

    private static final Logger LOG = Logger.getLogger(HostedModels.class);

    /** A hosted model with the batcher that feeds it. */
    public record Slot(HostedModel model, Batcher<PipelineRow, Outcome> batcher) {}

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    Publisher publisher;

    @Inject
    ChannelRegistry channels;

    @Inject
    ControlListener control;

    @Inject
    Tracer tracer;

    private CancellationRegistry cancellations;
    private JobTraces traces;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    @PostConstruct
    void init() {
        // before any control record arrives: the control channel applies cancels from the first one on
        cancellations = new CancellationRegistry(config.cancellationMemory());
        traces = new JobTraces(tracer);
    }

    void onStart(@Observes StartupEvent event) {
        // the control topic replays while the models load; the job channels wait for both
        control.startReplay();
        try {
            ModelRegistry registry = new ModelRegistry(
                    config.modelDir().stream()
                            .map(dir -> Path.of(dir).toAbsolutePath())
                            .toList(),
                    device(config.device()));
            RetryPolicy retry = new RetryPolicy(
                    config.retry().maxAttempts(),
                    config.retry().initialBackoff(),
                    config.retry().multiplier(),
                    config.retry().maxBackoff());
            BatchSettings batching = new BatchSettings(
                    config.batch().maxSize(),
                    config.batch().maxWait(),
                    config.batch().capacity());
            int mostWaiting = batching.maxBatchSize() + 2 * config.batch().bulkPollRecords();
            if (batching.capacity() < mostWaiting) {
                // every channel may hand over a whole poll at once (interactive: max-size records, each of the
                // two bulk lanes: bulk-poll-records); a refused row would leave a gap in the committed offsets
                throw new IllegalStateException("genfleet.worker.batch.capacity must be at least batch.max-size + 2 × "
                        + "batch.bulk-poll-records = " + mostWaiting);
            }
            for (String spec : config.models()) {
                String[] idVersion = spec.split(":", 2);
                long t0 = System.nanoTime();
                HostedModel model = registry.load(idVersion[0], idVersion.length > 1 ? idVersion[1] : null);
                warmUp(model);
                // the processor calls the model through a span per call (JobTraces), the batch runs in a batch span
                JobProcessor processor = new JobProcessor(
                        traces.traced(model), cancellations, retry, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
                Timer inference = meters.timer(
                        "genfleet.batch.duration", "model", model.info().id());
                Batcher<PipelineRow, Outcome> batcher = new Batcher<>(
                        model.info().id(),
                        batching,
                        rows -> inference.record(() -> traces.inBatch(
                                model.info().id(),
                                rows,
                                () -> processor.process(
                                        rows.stream().map(PipelineRow::job).toList(),
                                        (jobs, at) -> publisher.started(rows, jobs, model.info(), at)))),
                        size -> meters.summary(
                                        "genfleet.batch.size",
                                        "model",
                                        model.info().id())
                                .record(size));
                slots.put(model.info().id(), new Slot(model, batcher));
                LOG.infof(
                        "model %s/%s loaded and warmed on %s in %d ms (%d parameters)",
                        model.info().id(),
                        model.info().version(),
                        model.info().device(),
                        (System.nanoTime() - t0) / 1_000_000,
                        model.info().parameters());
            }
            ready.complete(null);
            if (!control.isCaughtUp()) {
                LOG.infof("models ready; the job channels wait until the control topic is read to its end");
            }
            control.caughtUp().thenRun(() -> {
                try {
                    publisher.announce(models(), true);
                    joinJobGroups();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "joining the job groups failed: %s", e.getMessage());
                }
            });
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
            // the job channels stay paused and unsubscribed: this worker joins no consumer group, so the pool's
            // other workers keep every partition instead of waiting on one that can never serve them
            LOG.errorf(
                    e,
                    "loading models %s failed; the worker stays unready and joins no consumer group: %s",
                    config.models(),
                    e.getMessage());
        }
    }

    /**
     * The job channels start paused with late subscription (application.properties): their consumers
     * subscribe, join their groups and poll only now, once every model is loaded and warm and the control
     * topic has been read up to its end offsets at start (so every cancel written before is known).
     */
    private void joinJobGroups() {
        for (String channel : JobConsumer.JOB_CHANNELS) {
            PausableChannel pausable = channels.getPausable(channel);
            if (pausable == null) {
                // a channel switched off in configuration (e.g. the second bulk lane) has nothing to resume
                LOG.debugf("channel %s is not pausable or not enabled; nothing to resume", channel);
                continue;
            }
            pausable.resume();
        }
    }

    private static void warmUp(HostedModel model) {
        JobInput input = model.info().modality() == dev.genfleet.inference.Modality.TEXT
                ? new TextInput("Hello", 4, 0.0, 0, 1.0, List.of(), 1L)
                : new ImageInput(1L, 1, null, 1, null);
        model.run(List.of(input));
    }

    static Device device(String name) {
        return switch (name) {
            case "auto" -> null;
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            default -> Device.fromName(name);
        };
    }

    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The slot of a hosted model, or null. */
    public Slot slot(String modelId) {
        return slots.get(modelId);
    }

    public List<HostedModel> models() {
        return slots.values().stream().map(Slot::model).toList();
    }

    public CancellationRegistry cancellations() {
        return cancellations;
    }

    /** Runs what waits in every batcher, then stops them. */
    public void drain(long timeout, TimeUnit unit) throws InterruptedException {
        for (Slot slot : slots.values()) {
            slot.batcher().drain(timeout, unit);
        }
    }
}
