package dev.genfleet.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.copy.BriefFormat;
import dev.genfleet.inference.copy.Candidates;
import dev.genfleet.inference.text.TextTokenizer;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Briefs, masks, filling, checks and candidates around a scripted text model (no engine). */
class TextHostedModelTest {

    /** A vocabulary of whole strings: the brief-v1 tokens and a few words. */
    record WholeTokens(List<String> tokens) implements TextTokenizer {
        @Override
        public int vocabSize() {
            return tokens.size();
        }

        @Override
        public int bosId() {
            return 0;
        }

        @Override
        public int eosId() {
            return 0;
        }

        @Override
        public int idOf(String token) {
            return tokens.indexOf(token);
        }

        @Override
        public int[] encode(String text) {
            int id = tokens.indexOf(text);
            return id >= 0 ? new int[] {id} : new int[0];
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) {
                b.append(tokens.get(id));
            }
            return b.toString();
        }
    }

    static final List<String> VOCAB = List.of(
            "<|end|>",
            "<|brief|>",
            "<|copy|>",
            "{{name}}",
            "{{product}}",
            "{{audience}}",
            "{{benefit}}",
            "{{offer}}",
            " 5",
            "%",
            " the");
    static final BriefFormat FORMAT = BriefFormat.of("brief-v1", new WholeTokens(VOCAB));

    /** Answers each row with {@code answer}, recording every batch. */
    static final class Scripted implements TextModel {
        final List<List<TextRequest>> batches = new ArrayList<>();
        final Function<TextRequest, String> answer;

        Scripted(Function<TextRequest, String> answer) {
            this.answer = answer;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("copywriter", "1", Modality.TEXT, "cpu()", 0);
        }

        @Override
        public List<TextGeneration> generate(List<TextRequest> batch) {
            batches.add(List.copyOf(batch));
            return batch.stream()
                    .map(r -> new TextGeneration(answer.apply(r), "stop", 10, 5))
                    .toList();
        }

        @Override
        public void close() {}
    }

    static final Brief BRIEF = new Brief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, "Søren");
    static final String GOOD = "Hi {{name}}, meet {{product}}: {{benefit}} for {{audience}}.";

    static TextInput brief(Brief b, String prompt, double temperature, Integer bestOf, String quality, long seed) {
        return new TextInput(prompt, 40, temperature, 0, 1.0, List.of(), seed, b, null, null, bestOf, quality);
    }

    static TextOutput run(TextHostedModel m, TextInput in) {
        return assertInstanceOf(TextOutput.class, m.run(List.of(in)).get(0));
    }

    @Test
    void shouldRenderMaskFillAndPassABriefJob() {
        Scripted model = new Scripted(r -> GOOD);
        TextHostedModel hosted = new TextHostedModel(model, FORMAT);
        TextInput in = brief(BRIEF, "", 0.8, null, null, 42);
        hosted.check(in);
        TextOutput out = run(hosted, in);
        assertEquals("Hi Søren, meet Nimbus Pillow: deeper sleep for light sleepers.", out.text());
        assertEquals(new CopyQuality(true, List.of(), List.of(), 0.0, 1), out.quality());
        TextRequest sent = model.batches.get(0).get(0);
        assertEquals(
                "<|brief|>product: Nimbus Pillow\naudience: light sleepers\nbenefit: deeper sleep\noffer: none\n"
                        + "tone: friendly\nname: yes\n<|copy|>",
                sent.prompt());
        assertEquals(42L, sent.seed(), "candidate 0 uses the job's seed");
        assertEquals(
                TokenMask.of(
                        VOCAB.indexOf("<|brief|>"),
                        VOCAB.indexOf("<|copy|>"),
                        VOCAB.indexOf("{{offer}}"),
                        VOCAB.indexOf(" 5"),
                        VOCAB.indexOf("%")),
                sent.banned(),
                "no offer: {{offer}}, digits and % are banned; the name is given, so {{name}} is not");
    }

    @Test
    void shouldPutAFreePromptBeforeTheCompletionAsTheOpening() {
        Scripted model = new Scripted(r -> "meet {{product}}.");
        TextOutput out = run(new TextHostedModel(model, FORMAT), brief(BRIEF, "Hi {{name}}, ", 0.8, null, null, 1));
        assertTrue(model.batches.get(0).get(0).prompt().endsWith("<|copy|>Hi {{name}}, "));
        assertEquals("Hi Søren, meet Nimbus Pillow.", out.text());
        assertTrue(out.quality().passed());
    }

    @Test
    void shouldDrawFurtherCandidatesOnlyWhileThePreviousFailAndBatchTheRoundsTogether() {
        long seed = 7;
        // candidate 0 of the first job forgets the name; candidate 1 has it
        Scripted model = new Scripted(r -> r.seed() == seed ? "Meet {{product}}." : GOOD);
        TextHostedModel hosted = new TextHostedModel(model, FORMAT);
        List<JobInput> batch = List.of(brief(BRIEF, "", 0.9, 4, null, seed), brief(BRIEF, "", 0.9, 4, null, 99));
        List<TextOutput> outs =
                hosted.run(batch).stream().map(TextOutput.class::cast).toList();
        assertEquals(2, outs.get(0).quality().candidates());
        assertTrue(outs.get(0).quality().passed());
        assertEquals(
                "Hi Søren, meet Nimbus Pillow: deeper sleep for light sleepers.",
                outs.get(0).text());
        assertEquals(1, outs.get(1).quality().candidates());
        assertEquals(2, model.batches.size());
        assertEquals(2, model.batches.get(0).size(), "round 0: both jobs in one batch");
        assertEquals(
                List.of(Candidates.seed(seed, 1)),
                model.batches.get(1).stream().map(TextRequest::seed).toList());
    }

    @Test
    void shouldDrawBestOfCandidatesThenReturnTheBestWhenNonePasses() {
        Scripted model = new Scripted(r -> r.seed() == Candidates.seed(5, 2) ? "Meet {{product}}." : "Hello there.");
        TextInput in = brief(BRIEF, "", 0.9, 3, "best_effort", 5);
        TextOutput out = run(new TextHostedModel(model, FORMAT), in);
        assertEquals(
                List.of(5L, Candidates.seed(5, 1), Candidates.seed(5, 2)),
                model.batches.stream().map(b -> b.get(0).seed()).toList());
        CopyQuality q = out.quality();
        assertFalse(q.passed());
        assertEquals(3, q.candidates());
        assertEquals(List.of("Søren"), q.requiredMissing(), "the best candidate (the third) misses the name only");
        assertEquals("Meet Nimbus Pillow.", out.text());
    }

    @Test
    void shouldDrawOneCandidateWhenDecodingIsGreedy() {
        Scripted model = new Scripted(r -> "Hello there.");
        TextOutput out = run(new TextHostedModel(model, FORMAT), brief(BRIEF, "", 0, 8, null, 5));
        assertEquals(1, out.quality().candidates());
        assertEquals(1, model.batches.size());
    }

    @Test
    void shouldCheckAPromptOnlyJobThatAsksForChecksAndLeaveOthersUnchecked() {
        Scripted model = new Scripted(r -> " and 20% off with free shipping.");
        TextHostedModel hosted = new TextHostedModel(model);
        TextInput checked =
                new TextInput("Our sale: 20% off", 20, 0.8, 0, 1.0, List.of(), 1, null, List.of("sale"), null, 2, null);
        TextOutput out = run(hosted, checked);
        assertEquals(List.of("sale"), out.quality().requiredMissing());
        assertEquals(List.of("free shipping"), out.quality().unstatedOffers(), "20% is the prompt's own offer");
        assertEquals(2, out.quality().candidates());
        assertEquals(TokenMask.none(), model.batches.get(0).get(0).banned(), "prompt-only rows carry no mask");
        TextOutput plain = run(hosted, new TextInput("Hi", 20, 0.8, 0, 1.0, List.of(), 1));
        assertNull(plain.quality());
        assertEquals(" and 20% off with free shipping.", plain.text());
    }

    @Test
    void shouldRefuseABriefForAModelWithoutAPromptFormatNamingTheModel() {
        TextHostedModel plain = new TextHostedModel(new Scripted(r -> ""));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> plain.check(brief(BRIEF, "", 0, null, null, 1)));
        assertTrue(e.getMessage().startsWith("model copywriter takes no brief"), e.getMessage());
        TextHostedModel writer = new TextHostedModel(new Scripted(r -> ""), FORMAT);
        Brief noOffer = new Brief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, null);
        IllegalArgumentException field = assertThrows(
                IllegalArgumentException.class, () -> writer.check(brief(noOffer, "Use {{offer}}", 0, null, null, 1)));
        assertTrue(field.getMessage().contains("{{offer}}"), field.getMessage());
    }
}
