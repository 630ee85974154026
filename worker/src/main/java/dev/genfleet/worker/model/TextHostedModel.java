package dev.genfleet.worker.model;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.copy.BriefFormat;
import dev.genfleet.inference.copy.Candidates;
import dev.genfleet.inference.copy.CopyBrief;
import dev.genfleet.inference.copy.CopyChecks;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves a {@link TextModel} to the fleet, with briefs and checks (worker README, "Briefs, checks and
 * quality").
 *
 * <p>A job with a brief needs a model with a prompt format ({@code prompt_format} in its
 * {@code config.json}); its prompt is the rendered brief plus the job's prompt as the opening, its row
 * carries the brief's token mask, and its text is the opening plus the completion with merge fields
 * filled. Every checked job ({@link TextInput#checked()}) is checked; a failing one draws further
 * candidates, up to {@code best_of}, seeds from {@link Candidates#seed}, only while the previous failed.
 * Candidates of all rows of a batch that failed in the same round are generated together, which keeps
 * each row's bits what they would be alone (rows are batch-invariant). The output carries
 * {@code quality}: of the first passing candidate, or of the best one ({@link CopyChecks.Result#BEST_FIRST},
 * earliest on ties) when none passed; whether that fails the job is {@code JobProcessor}'s decision.
 */
public final class TextHostedModel implements HostedModel {

    private final TextModel model;
    private final BriefFormat briefFormat;
    private final CopyChecks checks;

    public TextHostedModel(TextModel model) {
        this(model, null);
    }

    /** @param briefFormat how this model takes briefs; null: it takes free prompts only */
    public TextHostedModel(TextModel model, BriefFormat briefFormat) {
        this.model = model;
        this.briefFormat = briefFormat;
        this.checks = CopyChecks.english();
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    /** The prompt format this model renders briefs in, or null. */
    public BriefFormat briefFormat() {
        return briefFormat;
    }

    @Override
    public void check(JobInput input) {
        if (!(input instanceof TextInput text)) {
            throw new IllegalArgumentException(
                    "model " + info().id() + " generates text; the job carries an image input");
        }
        if (text.brief() != null) {
            if (briefFormat == null) {
                throw new IllegalArgumentException("model " + info().id() + " takes no brief: its config.json has no"
                        + " \"prompt_format\" (send a prompt, or a brief to a model trained on briefs, e.g."
                        + " prompt_format brief-v1)");
            }
            briefFormat.validate(copyBrief(text.brief()), text.prompt());
        }
    }

    static CopyBrief copyBrief(Brief b) {
        return new CopyBrief(b.product(), b.audience(), b.benefit(), b.offer(), b.tone(), b.name());
    }

    /** One job while its candidates are drawn. */
    private final class Row {
        final TextInput input;
        final CopyBrief brief;
        final TextRequest request;
        final CopyChecks.Criteria criteria;
        int drawn;
        TextGeneration bestGeneration;
        String bestText;
        CopyChecks.Result bestResult;

        Row(TextInput input) {
            this.input = input;
            this.brief = input.brief() == null ? null : copyBrief(input.brief());
            String prompt = brief == null ? input.prompt() : briefFormat.prompt(brief, input.prompt());
            TokenMask mask = brief == null ? TokenMask.none() : briefFormat.mask(brief);
            this.request = new TextRequest(
                    prompt,
                    input.maxTokens(),
                    input.temperature(),
                    input.topK(),
                    input.topP(),
                    input.stop(),
                    input.seed(),
                    mask);
            if (!input.checked()) {
                criteria = null;
            } else if (brief != null) {
                criteria = CopyChecks.Criteria.forBrief(
                        brief, input.prompt(), input.requiredStrings(), input.forbidsUnstatedOffers());
            } else {
                criteria = CopyChecks.Criteria.forPrompt(
                        input.prompt(), input.requiredStrings(), input.forbidsUnstatedOffers());
            }
        }

        TextRequest next() {
            return request.withSeed(Candidates.seed(input.seed(), drawn));
        }

        /** Takes candidate {@code drawn}; true when another should be drawn. */
        boolean take(TextGeneration g) {
            drawn++;
            String text = brief == null ? g.text() : briefFormat.copy(brief, input.prompt(), g.text());
            CopyChecks.Result r = criteria == null ? null : checks.check(text, criteria);
            if (bestGeneration == null || (r != null && CopyChecks.Result.BEST_FIRST.compare(r, bestResult) < 0)) {
                bestGeneration = g;
                bestText = text;
                bestResult = r;
            }
            return r != null
                    && !r.passed()
                    && drawn < input.candidateLimit()
                    && Candidates.seedMatters(input.temperature(), input.topK());
        }

        TextOutput output() {
            CopyQuality quality = bestResult == null
                    ? null
                    : new CopyQuality(
                            bestResult.passed(),
                            bestResult.requiredMissing(),
                            bestResult.unstatedOffers(),
                            Math.min(1.0, Math.max(0.0, bestResult.unknownWordRatio())),
                            drawn);
            return new TextOutput(
                    bestText,
                    bestGeneration.finishReason(),
                    bestGeneration.promptTokens(),
                    bestGeneration.completionTokens(),
                    quality);
        }
    }

    @Override
    public List<JobOutput> run(List<JobInput> inputs) {
        List<Row> rows = new ArrayList<>(inputs.size());
        for (JobInput input : inputs) {
            rows.add(new Row((TextInput) input));
        }
        List<Row> pending = rows;
        while (!pending.isEmpty()) {
            List<TextGeneration> generations =
                    model.generate(pending.stream().map(Row::next).toList());
            List<Row> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (pending.get(i).take(generations.get(i))) {
                    again.add(pending.get(i));
                }
            }
            pending = again;
        }
        List<JobOutput> outputs = new ArrayList<>(rows.size());
        for (Row r : rows) {
            outputs.add(r.output());
        }
        return outputs;
    }

    @Override
    public void close() {
        model.close();
    }
}
