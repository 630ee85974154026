package dev.genfleet.inference;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Puts the calling thread into the one engine state every forward pass of a worker runs in.
 *
 * <p>libtorch keeps two switches per thread, and DJL sets them only on the thread that starts the
 * engine: autograd ({@code GradMode}, on by default in every other thread) and the TorchScript graph
 * executor's optimiser (profiles the first calls of a module on each thread, then swaps in an optimised
 * plan). A worker calls its models from whichever lane thread holds the batch, so without this a
 * request's path through the engine depended on the thread and on how warm it was: autograd graphs were
 * recorded (holding every input of every pass) on some threads and not others, and a TorchScript module
 * ran its profiling plan on a cold thread and its optimised plan on a warm one. Calling {@link #enter()}
 * at the start of every model call makes each pass run the same plan with autograd off, whatever the
 * thread and whatever ran before. Both calls are one JNI call each (a thread-local store).
 */
public final class InferenceThread {

    private static final String PYTORCH = "PyTorch";

    private InferenceThread() {}

    /** Autograd off and the graph optimiser off on the calling thread (PyTorch engine; a no-op otherwise). */
    public static void enter() {
        if (!PYTORCH.equals(Engine.getInstance().getEngineName())) {
            return;
        }
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
        JniUtils.setGraphExecutorOptimize(false);
    }
}
