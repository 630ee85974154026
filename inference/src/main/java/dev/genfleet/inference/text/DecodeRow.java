package dev.genfleet.inference.text;

import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One row of a text batch while it decodes, shared by every text family ({@link GptTextModel},
 * {@link TorchScriptTextModel}, {@link StaticCacheTextModel}): its tokens, its own random generator, sampling (with its token mask), stop sequences, max
 * tokens, counting and the window of tokens the next logits are computed over. The models only turn
 * windows into logits.
 *
 * <p>Tokens: the tokenizer's beginning-of-sequence id (copy-gpt: the document separator, a newline)
 * followed by the prompt; a prompt of {@code context} tokens or more keeps its last {@code context}
 * tokens (and no separator). {@code promptTokens} counts the prompt's tokens after that cut;
 * {@code completionTokens} every sampled token, including those of a stop sequence that is cut from the
 * text and an end-of-sequence token (which ends the row with {@code "stop"} and adds no text). The text
 * is the tokenizer's decoding of the whole completion, so byte-level tokens that split a character come
 * out as that character.
 *
 * <p>Window: the next logits come from position {@code windowLength() - 1} of a forward pass over
 * {@code [windowStart(), length())}. When the window would exceed the context, it restarts from the last
 * {@code 3/4 * context} tokens ({@link #accept} then returns true), or, with {@code slideByOne}, always
 * holds the last {@code context} tokens.
 */
class DecodeRow {

    private final TextRequest req;
    private final TextTokenizer tokenizer;
    private final int context;
    private final boolean slideByOne;
    private final SplittableRandom rng;
    private final List<String> stops = new ArrayList<>();
    private final int promptTokens;
    private final StringBuilder completion = new StringBuilder();
    private int[] seq;
    private int len;
    private int generated;
    private int windowStart;
    private String text;
    private String finish;
    private boolean done;

    DecodeRow(TextRequest req, TextTokenizer tokenizer, int context, boolean slideByOne) {
        this.req = req;
        this.tokenizer = tokenizer;
        this.context = context;
        this.slideByOne = slideByOne;
        this.rng = new SplittableRandom(req.seed());
        for (String s : req.stop()) {
            if (s != null && !s.isEmpty()) {
                stops.add(s);
            }
        }
        int[] prompt = tokenizer.encode(req.prompt());
        if (prompt.length >= context) {
            prompt = Arrays.copyOfRange(prompt, prompt.length - context, prompt.length);
            seq = prompt.clone();
        } else {
            seq = new int[prompt.length + 1];
            seq[0] = tokenizer.bosId();
            System.arraycopy(prompt, 0, seq, 1, prompt.length);
        }
        promptTokens = prompt.length;
        len = seq.length;
        if (req.maxTokens() <= 0) {
            finishWith("", "length");
        }
    }

    final boolean done() {
        return done;
    }

    /** Number of tokens so far (separator, prompt, sampled). */
    final int length() {
        return len;
    }

    final int token(int index) {
        return seq[index];
    }

    final int windowStart() {
        return windowStart;
    }

    final int windowLength() {
        return len - windowStart;
    }

    /**
     * Samples the next token from this row's logits at {@code offset} with its own generator and its own
     * {@link TextRequest#banned() mask} (never a banned id), then accepts it.
     */
    final boolean next(float[] logits, int offset, int vocab) {
        return accept(
                Sampler.sample(logits, offset, vocab, req.temperature(), req.topK(), req.topP(), rng, req.banned()));
    }

    /**
     * Appends a sampled token and finishes the row on a stop sequence (cut from the text, reason
     * {@code "stop"}; the longest one when several end here) or at max tokens ({@code "length"}).
     *
     * @return true when the window start moved (a model that caches the window must recompute it)
     */
    boolean accept(int token) {
        if (len == seq.length) {
            seq = Arrays.copyOf(seq, Math.max(16, seq.length * 2));
        }
        seq[len++] = token;
        generated++;
        if (token == tokenizer.eosId()) {
            finishWith(completion.toString(), "stop");
            return false;
        }
        if (tokenizer.decodesPerToken()) {
            completion.append(tokenizer.decode(new int[] {token}));
        } else {
            // byte-level tokens: a character may span tokens, so the completion is decoded as a whole
            completion.setLength(0);
            completion.append(tokenizer.decode(Arrays.copyOfRange(seq, len - generated, len)));
        }
        String hit = null;
        for (String s : stops) {
            if (completion.length() >= s.length()
                    && completion.lastIndexOf(s) == completion.length() - s.length()
                    && (hit == null || s.length() > hit.length())) {
                hit = s;
            }
        }
        if (hit != null) {
            finishWith(completion.substring(0, completion.length() - hit.length()), "stop");
        } else if (generated >= req.maxTokens()) {
            finishWith(completion.toString(), "length");
        } else if (slideByOne) {
            int start = Math.max(0, len - context);
            boolean moved = start != windowStart;
            windowStart = start;
            return moved;
        } else if (len - windowStart > context) {
            windowStart = len - (context - context / 4);
            return true;
        }
        return false;
    }

    private void finishWith(String t, String reason) {
        text = t;
        finish = reason;
        done = true;
    }

    final TextGeneration result() {
        return new TextGeneration(text, finish, promptTokens, generated);
    }
}
