package dev.genfleet.inference.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm decoder block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}, with causal
 * multi-head self-attention written out with NDArray ops so that a key/value cache can be used.
 *
 * <p>Input of {@link #forward}: {@code [x (B,T,d), mask (1|B,1,T,T) additive]}; output {@code [x]}.
 */
public final class GptBlock extends AbstractBlock {

    private final int dModel;
    private final int heads;
    private final int mlpHidden;
    private final LayerNorm ln1;
    private final Linear qkv;
    private final Linear proj;
    private final LayerNorm ln2;
    private final Linear fc1;
    private final Linear fc2;

    public GptBlock(int dModel, int heads, int mlpHidden) {
        this.dModel = dModel;
        this.heads = heads;
        this.mlpHidden = mlpHidden;
        // axis(2): normalise over features only; the default would also normalise across time.
        ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dModel).build());
        proj = addChildBlock("proj", Linear.builder().setUnits(dModel).build());
        ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        fc1 = addChildBlock("fc1", Linear.builder().setUnits(mlpHidden).build());
        fc2 = addChildBlock("fc2", Linear.builder().setUnits(dModel).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(full(ps, inputs.get(0), inputs.get(1), training).get(0));
    }

    /** Full causal pass over (B,T,d); returns {@code [x', k, v]} with k, v of shape (B,H,T,dh). */
    NDList full(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDList qkvHeads = projectQkv(ps, x, training);
        NDArray k = qkvHeads.get(1);
        NDArray v = qkvHeads.get(2);
        NDArray h = x.add(attend(ps, qkvHeads.get(0), k, v, mask, training));
        return new NDList(h.add(mlp(ps, h, training)), k, v);
    }

    /**
     * One decode step with a fixed-size cache, written in place. {@code x} (B,1,d); caches (B,H,C,dh);
     * {@code slot} indexes the cache entries (row, :, position) that take this step's key and value and
     * {@code written} the same rows of this step's (B,H,dh) keys and values (the other rows are computed,
     * so that every op has the same shape whatever the batch holds, but leave their cache alone);
     * {@code mask} (B,1,1,C) additive. Returns {@code [x']}.
     *
     * <p>In place because a functional update (a {@code where} over the whole cache) rewrote every cache of
     * every layer at every token: 20% of a batch's time in a worker profile. The write is a copy, so the
     * values read by the attention are the same bits either way.
     */
    NDList step(
            ParameterStore ps, NDArray x, NDArray kCache, NDArray vCache, NDIndex slot, NDIndex written, NDArray mask) {
        NDList qkvHeads = projectQkv(ps, x, false);
        kCache.set(slot, qkvHeads.get(1).squeeze(2).get(written));
        vCache.set(slot, qkvHeads.get(2).squeeze(2).get(written));
        NDArray h = x.add(attend(ps, qkvHeads.get(0), kCache, vCache, mask, false));
        return new NDList(h.add(mlp(ps, h, false)));
    }

    private NDList projectQkv(ParameterStore ps, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray h = ln1.forward(ps, new NDList(x), training).singletonOrThrow();
        NDList parts =
                qkv.forward(ps, new NDList(h), training).singletonOrThrow().split(3, 2);
        NDList out = new NDList(3);
        for (NDArray p : parts) {
            out.add(p.reshape(b, t, heads, dModel / heads).transpose(0, 2, 1, 3));
        }
        return out;
    }

    private NDArray attend(ParameterStore ps, NDArray q, NDArray k, NDArray v, NDArray mask, boolean training) {
        long b = q.getShape().get(0);
        long t = q.getShape().get(2);
        double scale = 1.0 / Math.sqrt((double) dModel / heads);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul((float) scale).add(mask);
        NDArray o = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, dModel);
        return proj.forward(ps, new NDList(o), training).singletonOrThrow();
    }

    private NDArray mlp(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = ln2.forward(ps, new NDList(x), training).singletonOrThrow();
        h = Activation.gelu(fc1.forward(ps, new NDList(h), training).singletonOrThrow());
        return fc2.forward(ps, new NDList(h), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        ln1.initialize(manager, dataType, x);
        qkv.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, x);
        ln2.initialize(manager, dataType, x);
        fc1.initialize(manager, dataType, x);
        fc2.initialize(manager, dataType, new Shape(x.get(0), x.get(1), mlpHidden));
    }
}
