package dev.genfleet.inference.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only character transformer: token + learned position embeddings, {@link GptBlock}s, a final
 * LayerNorm and an output head tied to the token embedding.
 *
 * <p>{@link #forward} maps int64 tokens (B,T) to logits (B,T,V) with a causal mask (training and
 * evaluation). {@link #prefill} and {@link #step} are the inference paths with a key/value cache of fixed
 * length {@code context}.
 */
public final class TinyGpt extends AbstractBlock {

    /** Additive mask value for positions a query must not see. */
    static final float NEG = -1e9f;

    private final GptConfig config;
    private final Parameter tokEmb;
    private final Parameter posEmb;
    private final List<GptBlock> layers = new ArrayList<>();
    private final LayerNorm lnF;

    public TinyGpt(GptConfig config) {
        this.config = config;
        tokEmb = addParameter(Parameter.builder()
                .setName("tok_emb")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.dModel()))
                .build());
        posEmb = addParameter(Parameter.builder()
                .setName("pos_emb")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.context(), config.dModel()))
                .build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new GptBlock(config.dModel(), config.heads(), config.mlpHidden())));
        }
        lnF = addChildBlock("ln_f", LayerNorm.builder().axis(2).build());
    }

    public GptConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        int t = (int) tokens.getShape().get(1);
        NDManager m = tokens.getManager();
        NDArray x = embed(ps, tokens, m.arange(0, t, 1, DataType.INT64).reshape(1, t), training);
        NDArray mask = causalMask(m, t);
        for (GptBlock layer : layers) {
            x = layer.full(ps, x, mask, training).get(0);
        }
        return new NDList(head(ps, x, training));
    }

    /**
     * Full causal pass over right-padded rows (P,C) that returns the logits at one position per row
     * ({@code select} (P,C,1) float one-hot) and every layer's keys and values.
     *
     * @return {@code [logits (P,1,V), k0, v0, k1, v1, ...]} with k, v of shape (P,H,C,dh)
     */
    NDList prefill(ParameterStore ps, NDArray tokens, NDArray select) {
        int t = (int) tokens.getShape().get(1);
        NDManager m = tokens.getManager();
        NDArray x = embed(ps, tokens, m.arange(0, t, 1, DataType.INT64).reshape(1, t), false);
        NDArray mask = causalMask(m, t);
        NDList out = new NDList(1 + 2 * layers.size());
        out.add(null);
        for (GptBlock layer : layers) {
            NDList r = layer.full(ps, x, mask, false);
            x = r.get(0);
            out.add(r.get(1));
            out.add(r.get(2));
        }
        // exact selection: one non-zero term per row, the rest multiply by zero
        NDArray last = x.mul(select).sum(new int[] {1}, true);
        out.set(0, head(ps, last, false));
        return out;
    }

    /**
     * One decode step for rows (B,1) at positions {@code pos} (B,1) int64, with caches {@code [k0, v0,
     * ...]} (B,H,C,dh) updated in place at ({@code rows}, {@code positions}) (n) int64 — the rows that
     * take this step — and {@code mask} (B,1,1,C) additive.
     *
     * @return {@code [logits (B,1,V)]}
     */
    NDList step(
            ParameterStore ps,
            NDArray tokens,
            NDArray pos,
            NDList caches,
            NDArray rows,
            NDArray positions,
            NDArray mask) {
        NDArray x = embed(ps, tokens, pos, false);
        NDIndex slot = new NDIndex("{}, :, {}", rows, positions);
        NDIndex written = new NDIndex("{}", rows);
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i)
                    .step(ps, x, caches.get(2 * i), caches.get(2 * i + 1), slot, written, mask)
                    .get(0);
        }
        return new NDList(head(ps, x, false));
    }

    private NDArray embed(ParameterStore ps, NDArray tokens, NDArray positions, boolean training) {
        NDArray te = ps.getValue(tokEmb, tokens.getDevice(), training);
        NDArray pe = ps.getValue(posEmb, tokens.getDevice(), training);
        // input first: results land in the input's manager, not the model's
        NDArray tok = Embedding.embedding(tokens, te, SparseFormat.DENSE).singletonOrThrow();
        NDArray pos = Embedding.embedding(positions, pe, SparseFormat.DENSE).singletonOrThrow();
        return tok.add(pos);
    }

    private NDArray head(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = lnF.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray te = ps.getValue(tokEmb, x.getDevice(), training);
        return Linear.linear(h, te).singletonOrThrow();
    }

    static NDArray causalMask(NDManager m, int t) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = NEG;
            }
        }
        return m.create(mask, new Shape(1, 1, t, t));
    }

    public long parameterCount() {
        long n = 0;
        for (var p : getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape x = new Shape(s.get(0), s.get(1), config.dModel());
        Shape mask = new Shape(1, 1, s.get(1), s.get(1));
        for (GptBlock layer : layers) {
            layer.initialize(manager, dataType, x, mask);
        }
        lnF.initialize(manager, dataType, x);
    }
}
