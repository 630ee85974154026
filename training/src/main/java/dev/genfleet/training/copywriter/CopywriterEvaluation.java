package dev.genfleet.training.copywriter;

import ai.djl.Device;
import com.google.gson.JsonParser;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The raw evaluation of the shipped {@code copywriter}: every held-out brief of {@code
 * heldout-briefs.ndjson}, rendered in {@code brief-v1}, through {@link StaticCacheTextModel} (the
 * worker's loading path), greedy and sampled, with no checks, masks or retries. Prints a table.
 *
 * <p>Usage: {@code CopywriterEvaluation <modelsDir> [briefs]}. Columns: the rules of {@link
 * CopyCorpus#violations} one by one and together (the raw pass rate), the copy ending in {@code <|end|>},
 * the fraction of words outside merge fields that the corpus writes and that Debian's {@code wamerican}
 * lists (when installed), distinct-2 of the filled copy (distinct word bigrams over all bigrams), and
 * completion tokens per second (batch of 8 slots, one intra-op thread unless set).
 */
public final class CopywriterEvaluation {

    static final int MAX_TOKENS = 96;
    static final Path WORD_LIST = Path.of("/usr/share/dict/words");

    private CopywriterEvaluation() {}

    /** One decoding setting's figures. */
    public record Figures(
            String setting,
            int rows,
            double product,
            double name,
            double offer,
            double noUnstatedOffer,
            double passed,
            double ended,
            double corpusWords,
            double dictionaryWords,
            double distinct2,
            double tokensPerSecond,
            List<String> samples) {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Path dir = Path.of(args.length > 0 ? args[0] : "models")
                .resolve("copywriter")
                .resolve("1");
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        List<CopyBrief> briefs = readBriefs(dir.resolve("heldout-briefs.ndjson"));
        briefs = briefs.subList(0, Math.min(limit, briefs.size()));
        Set<String> dictionary = dictionary();
        try (StaticCacheTextModel model = StaticCacheTextModel.load(dir, Device.cpu(), null)) {
            List<Figures> all = List.of(
                    evaluate(model, briefs, "greedy", 0.0, 1.0, dictionary),
                    evaluate(model, briefs, "t=0.8 top-p=0.95", 0.8, 0.95, dictionary));
            System.out.printf(
                    Locale.ROOT,
                    "copywriter raw evaluation: %d held-out briefs (%s), %s, no checks or retries%n%n",
                    briefs.size(),
                    dir.resolve("heldout-briefs.ndjson"),
                    model.engine());
            System.out.println(table(all, dictionary != null));
            for (Figures f : all) {
                System.out.println("samples, " + f.setting() + ":");
                f.samples().forEach(s -> System.out.println("  " + s));
            }
        }
    }

    static List<CopyBrief> readBriefs(Path file) throws IOException {
        List<CopyBrief> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(CopyBrief.fromJson(JsonParser.parseString(line).getAsJsonObject()));
            }
        }
        return out;
    }

    /** Lower-cased {@code wamerican} words, or null when the list is not installed. */
    static Set<String> dictionary() throws IOException {
        if (!Files.isRegularFile(WORD_LIST)) {
            return null;
        }
        Set<String> words = new HashSet<>();
        for (String w : Files.readAllLines(WORD_LIST, StandardCharsets.UTF_8)) {
            words.add(w.toLowerCase(Locale.ROOT));
        }
        return words;
    }

    public static Figures evaluate(
            StaticCacheTextModel model,
            List<CopyBrief> briefs,
            String setting,
            double temperature,
            double topP,
            Set<String> dictionary) {
        List<TextRequest> reqs = new ArrayList<>();
        for (int i = 0; i < briefs.size(); i++) {
            reqs.add(new TextRequest(briefs.get(i).prompt(), MAX_TOKENS, temperature, 0, topP, List.of(), 1000L + i));
        }
        long t0 = System.nanoTime();
        List<TextGeneration> gens = model.generate(reqs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int product = 0, name = 0, offer = 0, noUnstated = 0, noOfferBriefs = 0, passed = 0, ended = 0;
        long words = 0, inCorpus = 0, inDictionary = 0, tokens = 0;
        Set<String> corpus = CopyCorpus.vocabulary();
        Set<String> bigrams = new HashSet<>();
        long bigramCount = 0;
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < briefs.size(); i++) {
            CopyBrief b = briefs.get(i);
            TextGeneration g = gens.get(i);
            String copy = g.text();
            tokens += g.completionTokens();
            product += copy.contains("{{product}}") ? 1 : 0;
            name += (b.name() != null) == copy.contains("{{name}}") ? 1 : 0;
            offer += (b.offer() != null) == copy.contains("{{offer}}") ? 1 : 0;
            if (b.offer() == null) {
                noOfferBriefs++;
                noUnstated += CopyCorpus.offerLike(copy).isEmpty() ? 1 : 0;
            }
            passed += CopyCorpus.violations(b, copy).isEmpty() ? 1 : 0;
            ended += "stop".equals(g.finishReason()) ? 1 : 0;
            for (String w : CopyCorpus.plainWords(copy)) {
                words++;
                inCorpus += corpus.contains(w) ? 1 : 0;
                inDictionary += dictionary != null && dictionary.contains(w) ? 1 : 0;
            }
            String[] filled = b.fill(copy).toLowerCase(Locale.ROOT).split("\\s+");
            for (int j = 0; j + 1 < filled.length; j++) {
                bigrams.add(filled[j] + " " + filled[j + 1]);
                bigramCount++;
            }
            if (i < 6) {
                samples.add(b.toJson() + "\n    -> " + copy + "\n    => " + b.fill(copy));
            }
        }
        double n = briefs.size();
        return new Figures(
                setting,
                briefs.size(),
                product / n,
                name / n,
                offer / n,
                noOfferBriefs == 0 ? 1.0 : noUnstated / (double) noOfferBriefs,
                passed / n,
                ended / n,
                words == 0 ? 1.0 : inCorpus / (double) words,
                dictionary == null ? Double.NaN : words == 0 ? 1.0 : inDictionary / (double) words,
                bigramCount == 0 ? 0 : bigrams.size() / (double) bigramCount,
                tokens / seconds,
                samples);
    }

    static String table(List<Figures> all, boolean withDictionary) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| decoding | briefs | {{product}} | {{name}} iff name | {{offer}} iff offer"
                        + " | no offer-like text (no offer) | all rules (raw pass) | ends in <|end|> | words in corpus vocabulary");
        sb.append(withDictionary ? " | words in wamerican" : "");
        sb.append(" | distinct-2 | tokens/s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:")
                .append(withDictionary ? "|---:" : "")
                .append("|---:|---:|\n");
        for (Figures f : all) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %s | %s | %s | %s",
                    f.setting(),
                    f.rows(),
                    pct(f.product()),
                    pct(f.name()),
                    pct(f.offer()),
                    pct(f.noUnstatedOffer()),
                    pct(f.passed()),
                    pct(f.ended()),
                    pct(f.corpusWords())));
            if (withDictionary) {
                sb.append(" | ").append(pct(f.dictionaryWords()));
            }
            sb.append(String.format(Locale.ROOT, " | %.3f | %.0f |%n", f.distinct2(), f.tokensPerSecond()));
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
