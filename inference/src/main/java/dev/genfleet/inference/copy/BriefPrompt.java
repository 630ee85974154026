package dev.genfleet.inference.copy;

/**
 * The prompt format {@value #FORMAT}: what a model whose {@code config.json} says
 * {@code "prompt_format": "brief-v1"} was trained to read. Exact bytes: the control token
 * {@value #BRIEF}, six {@code key: value} lines each ending {@code "\n"}, then the control token
 * {@value #COPY}, after which the model writes the copy (with merge fields, see {@link MergeFields}) and
 * ends it with {@value #END}:
 *
 * <pre>
 * &lt;|brief|&gt;product: Nimbus Pillow
 * audience: light sleepers
 * benefit: deeper sleep
 * offer: none
 * tone: friendly
 * name: yes
 * &lt;|copy|&gt;</pre>
 *
 * The recipient's name is never in the prompt (only {@code name: yes}): the model writes
 * {@code {{name}}} and the worker fills it. A free prompt given with the brief is the opening of the
 * copy: it follows {@value #COPY} as written (it may hold merge fields too).
 */
public final class BriefPrompt {

    public static final String FORMAT = "brief-v1";
    public static final String BRIEF = "<|brief|>";
    public static final String COPY = "<|copy|>";
    public static final String END = "<|end|>";
    public static final String DEFAULT_TONE = "friendly";
    public static final String NO_OFFER = "none";

    private BriefPrompt() {}

    /** The prompt for {@code brief}, ending with {@value #COPY}. */
    public static String render(CopyBrief brief) {
        return BRIEF
                + "product: " + brief.product() + "\n"
                + "audience: " + brief.audience() + "\n"
                + "benefit: " + brief.benefit() + "\n"
                + "offer: " + (brief.offer() == null ? NO_OFFER : brief.offer()) + "\n"
                + "tone: " + (brief.tone() == null ? DEFAULT_TONE : brief.tone()) + "\n"
                + "name: " + (brief.name() == null ? "no" : "yes") + "\n"
                + COPY;
    }

    /** The prompt followed by the opening of the copy ({@code ""} or null: none). */
    public static String render(CopyBrief brief, String opening) {
        return opening == null ? render(brief) : render(brief) + opening;
    }
}
