package dev.genfleet.inference.copy;

import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.text.TextTokenizer;
import java.util.List;

/**
 * How a model of prompt format {@value BriefPrompt#FORMAT} is asked for copy and how its answer becomes
 * copy: {@link #prompt} renders the brief ({@link BriefPrompt}), {@link #mask} is the row's decoding mask
 * ({@link BriefVocabulary}), {@link #copy} turns the generated text into the copy (opening plus
 * completion, merge fields filled by {@link MergeFields}). The checks are {@link CopyChecks}'.
 */
public final class BriefFormat {

    private final BriefVocabulary vocabulary;

    private BriefFormat(BriefVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** Whether this library renders {@code promptFormat}. */
    public static boolean supports(String promptFormat) {
        return BriefPrompt.FORMAT.equals(promptFormat);
    }

    /**
     * @throws IllegalArgumentException when the format is not {@value BriefPrompt#FORMAT} or the tokenizer
     *     lacks its tokens (see {@link BriefVocabulary#of})
     */
    public static BriefFormat of(String promptFormat, TextTokenizer tokenizer) {
        if (!supports(promptFormat)) {
            throw new IllegalArgumentException("unknown prompt_format '" + promptFormat + "': this worker renders \""
                    + BriefPrompt.FORMAT + "\" only");
        }
        return new BriefFormat(BriefVocabulary.of(tokenizer));
    }

    public String name() {
        return BriefPrompt.FORMAT;
    }

    public BriefVocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * Refuses a brief or opening that would change the prompt's structure or that the copy could not be
     * filled from: a control token inside a value or the opening, a line break inside a value, or a merge
     * field in the opening that the brief cannot fill.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    public void validate(CopyBrief brief, String opening) {
        String[][] fields = {
            {"brief.product", brief.product()},
            {"brief.audience", brief.audience()},
            {"brief.benefit", brief.benefit()},
            {"brief.offer", brief.offer()},
            {"brief.tone", brief.tone()},
            {"brief.name", brief.name()},
            {"prompt", opening}
        };
        for (String[] f : fields) {
            String v = f[1];
            if (v == null) {
                continue;
            }
            for (String control : List.of(BriefPrompt.BRIEF, BriefPrompt.COPY, BriefPrompt.END)) {
                if (v.contains(control)) {
                    throw new IllegalArgumentException(f[0] + " must not contain the model's control token " + control);
                }
            }
            if (!f[0].equals("prompt") && (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0)) {
                throw new IllegalArgumentException(f[0] + " must be one line (the prompt has one line per field)");
            }
        }
        if (opening != null) {
            for (String field : MergeFields.in(opening)) {
                if (MergeFields.value(field, brief) == null) {
                    throw new IllegalArgumentException("prompt holds " + field + ", which the brief cannot fill (no "
                            + field.substring(2, field.length() - 2) + " in the brief)");
                }
            }
        }
    }

    /** The model's prompt: the brief in {@value BriefPrompt#FORMAT}, then the opening (may be empty). */
    public String prompt(CopyBrief brief, String opening) {
        return BriefPrompt.render(brief, opening);
    }

    /** The tokens the row for {@code brief} may never sample. */
    public TokenMask mask(CopyBrief brief) {
        return vocabulary.mask(brief);
    }

    /** The copy: the opening followed by the model's completion, merge fields filled from the brief. */
    public String copy(CopyBrief brief, String opening, String completion) {
        return MergeFields.fill((opening == null ? "" : opening) + completion, brief);
    }
}
