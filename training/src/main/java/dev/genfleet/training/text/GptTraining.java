package dev.genfleet.training.text;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.WarmUpTracker;

/** The training setup the project's GPT trainers share (text's copy-gpt and the copywriter). */
public final class GptTraining {

    private GptTraining() {}

    /**
     * Softmax cross-entropy, normal(0.02) weights, Adam with gradient clip 1.0 and a learning rate that warms up
     * linearly from {@code lr / 20} over {@code min(warmUpCap, steps / 10)} steps, then decays by cosine to
     * {@code lr / 20} at {@code steps}.
     */
    public static DefaultTrainingConfig config(Device device, float lr, int steps, int warmUpCap) {
        CosineTracker cosine = CosineTracker.builder()
                .setBaseValue(lr)
                .optFinalValue(lr / 20)
                .setMaxUpdates(steps)
                .build();
        WarmUpTracker tracker = WarmUpTracker.builder()
                .setMainTracker(cosine)
                .optWarmUpSteps(Math.min(warmUpCap, steps / 10))
                .optWarmUpBeginValue(lr / 20)
                .build();
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optDevices(new Device[] {device})
                .optInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT)
                .optOptimizer(Adam.builder()
                        .optLearningRateTracker(tracker)
                        .optClipGrad(1.0f)
                        .build());
    }
}
