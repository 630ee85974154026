package dev.genfleet.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.gateway.tenant.TenantSettings;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates a job request body and fills its defaults. Every offending field is reported at once;
 * unknown fields are refused so a typo ({@code max_token}) does not silently fall back to a default.
 */
@ApplicationScoped
public class JobParser {

    public static final int DEFAULT_MAX_TOKENS = 256;
    public static final long MAX_TTL_SECONDS = 7 * 24 * 3600;
    /** Seeds chosen by the gateway stay below 2^53 so JavaScript clients read them exactly. */
    public static final long MAX_DRAWN_SEED = JobIds.SEED_BOUND;

    public static final Set<String> JOB_FIELDS =
            Set.of("model", "input", "priority", "ttl_seconds", "webhook", "metadata");
    public static final Set<String> TEXT_FIELDS = Set.of(
            "prompt",
            "max_tokens",
            "temperature",
            "top_k",
            "top_p",
            "stop",
            "seed",
            "brief",
            "require",
            "forbid_unstated_offers",
            "best_of",
            "quality");
    /** The fields of a brief, in the order the problems name them; the first three are required. */
    public static final List<String> BRIEF_FIELDS = List.of("product", "audience", "benefit", "offer", "tone", "name");

    public static final Set<String> BRIEF_REQUIRED = Set.of("product", "audience", "benefit");
    public static final Set<String> IMAGE_FIELDS = Set.of("seed", "count", "style", "best_of", "size");

    private final GatewayConfig config;
    private final ModelRoutes routes;
    private final TenantSettings settings;
    private final CurrentTenant tenant;

    public JobParser(GatewayConfig config, ModelRoutes routes, TenantSettings settings, CurrentTenant tenant) {
        this.config = config;
        this.routes = routes;
        this.settings = settings;
        this.tenant = tenant;
    }

    /**
     * Validates a job body. A seed the request does not name derives from {@code jobId}
     * ({@link JobIds#seed}), so the same request under the same id is the same job on every replica.
     */
    public JobDraft parse(JsonNode body, String jobId) {
        Fields f = new Fields();
        f.onlyKnown(body, "", JOB_FIELDS);
        Common common = common(body, f, "");
        JsonNode input = f.object(body, "input", "", true);
        JobInput parsed = null;
        String prompt = null;
        Brief brief = null;
        List<String> require = null;
        if (common.route() != null && input != null) {
            if ("image".equals(common.route().modality())) {
                f.onlyKnown(input, "input.", IMAGE_FIELDS);
                parsed = image(input, f, JobIds.seed(jobId));
            } else {
                f.onlyKnown(input, "input.", TEXT_FIELDS);
                JsonNode briefNode = f.object(input, "brief", "input.", false);
                brief = briefNode == null ? null : brief(briefNode, f, "input.brief.");
                if (!input.hasNonNull("prompt") && !input.has("brief")) {
                    f.error("input.prompt", "required unless the input has a brief");
                } else {
                    prompt = f.string(
                            input, "prompt", "input.", false, 1, config.limits().maxPromptChars());
                }
                require = require(input, f, "input.");
                parsed = text(prompt == null ? "" : prompt, brief, require, input, f, "input.", JobIds.seed(jobId));
            }
        }
        f.throwIfAny();
        return new JobDraft(
                common.model(),
                common.route(),
                parsed,
                common.priority(),
                common.deadline(),
                common.webhookUrl(),
                common.metadata(),
                policyTexts(prompt, brief, require),
                null,
                null);
    }

    /** The fields a job and a campaign share. */
    public record Common(
            String model,
            ModelRoutes.Route route,
            Priority priority,
            Instant deadline,
            String webhookUrl,
            Map<String, String> metadata) {}

    public Common common(JsonNode body, Fields f, String path) {
        String model = f.string(body, "model", path, true, 1, 200);
        ModelRoutes.Route route = null;
        if (model != null) {
            route = routes.route(model).orElse(null);
            if (route == null) {
                f.error(path + "model", "unknown model '" + model + "'; GET /v1/models lists the models");
            }
        }
        Priority priority = Priority.INTERACTIVE;
        JsonNode p = body.get("priority");
        if (p != null && !p.isNull()) {
            if (p.isTextual()
                    && (p.textValue().equals("interactive") || p.textValue().equals("bulk"))) {
                priority = Priority.valueOf(p.textValue().toUpperCase(Locale.ROOT));
            } else {
                f.error(path + "priority", "must be \"interactive\" or \"bulk\"");
            }
        }
        Long ttl = f.integer(body, "ttl_seconds", path, 1, MAX_TTL_SECONDS);
        Instant deadline = ttl == null ? null : Instant.now().plusSeconds(ttl);
        String webhookUrl = null;
        JsonNode webhook = f.object(body, "webhook", path, false);
        if (webhook != null) {
            f.onlyKnown(webhook, path + "webhook.", Set.of("url"));
            String url = f.string(webhook, "url", path + "webhook.", true, 1, 2000);
            if (url != null) {
                String problem = webhookProblem(url, settings.allowPrivateWebhooks(tenant.id()));
                if (problem != null) {
                    f.error(path + "webhook.url", problem);
                } else {
                    webhookUrl = url;
                }
            }
        }
        Map<String, String> metadata = f.stringMap(body, "metadata", path, 32, 64, 512);
        return new Common(model, route, priority, deadline, webhookUrl, metadata);
    }

    /**
     * Text input: the generation settings and checks from {@code node}; prompt, brief and required strings given
     * separately (a campaign renders them per recipient); {@code defaultSeed} if the node names none. Null when
     * {@code f} holds any error.
     */
    public static TextInput text(
            String prompt, Brief brief, List<String> require, JsonNode node, Fields f, String path, long defaultSeed) {
        Long maxTokens = f.integer(node, "max_tokens", path, 1, TextInput.MAX_TOKENS_LIMIT);
        Double temperature = f.number(node, "temperature", path, 0.0, 5.0);
        Long topK = f.integer(node, "top_k", path, 0, 100_000);
        Double topP = f.number(node, "top_p", path, 0.0, 1.0);
        List<String> stop = f.strings(node, "stop", path, TextInput.MAX_STOP_SEQUENCES, 200);
        Long seed = f.integer(node, "seed", path, Long.MIN_VALUE, Long.MAX_VALUE);
        Boolean forbidUnstatedOffers = f.bool(node, "forbid_unstated_offers", path);
        Long bestOf = f.integer(node, "best_of", path, 1, TextInput.MAX_BEST_OF);
        String quality = f.oneOf(node, "quality", path, List.of(TextInput.STRICT, TextInput.BEST_EFFORT));
        if (!f.errors().isEmpty()) {
            return null;
        }
        return new TextInput(
                prompt,
                maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens.intValue(),
                temperature == null ? 1.0 : temperature,
                topK == null ? 0 : topK.intValue(),
                topP == null ? 1.0 : topP,
                stop,
                seed == null ? defaultSeed : seed,
                brief,
                require,
                forbidUnstatedOffers,
                bestOf == null ? null : bestOf.intValue(),
                quality);
    }

    /**
     * A brief: {@code product}, {@code audience}, {@code benefit} required, {@code offer}, {@code tone},
     * {@code name} optional, each a string {@link #stringProblem} accepts; other fields are refused. Null when
     * any field is wrong (each is reported).
     */
    public static Brief brief(JsonNode node, Fields f, String path) {
        int before = f.errors().size();
        f.onlyKnown(node, path, Set.copyOf(BRIEF_FIELDS));
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : BRIEF_FIELDS) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                if (BRIEF_REQUIRED.contains(name)) {
                    f.error(path + name, "required");
                }
            } else if (!n.isTextual()) {
                f.error(path + name, "must be a string");
            } else {
                String problem = stringProblem(n.textValue());
                if (problem != null) {
                    f.error(path + name, problem);
                } else {
                    values.put(name, n.textValue());
                }
            }
        }
        return f.errors().size() > before ? null : briefOf(values);
    }

    /** The brief of checked values by field name (see {@link #stringProblem}); the required ones present. */
    public static Brief briefOf(Map<String, String> values) {
        return new Brief(
                values.get("product"),
                values.get("audience"),
                values.get("benefit"),
                values.get("offer"),
                values.get("tone"),
                values.get("name"));
    }

    /**
     * {@code require}: null when absent (the default: the brief's product and name), else at most
     * {@value TextInput#MAX_REQUIRED} strings that {@link #stringProblem} accepts (empty = check none).
     */
    public static List<String> require(JsonNode node, Fields f, String path) {
        JsonNode n = node.get("require");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            f.error(path + "require", "must be an array of strings");
            return null;
        }
        if (n.size() > TextInput.MAX_REQUIRED) {
            f.error(path + "require", "must have at most " + TextInput.MAX_REQUIRED + " items (has " + n.size() + ")");
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            String problem = item.isTextual() ? stringProblem(item.textValue()) : "must be a string";
            if (problem != null) {
                f.error(path + "require[" + i + "]", problem);
                ok = false;
            } else {
                out.add(item.textValue());
            }
        }
        return ok ? out : null;
    }

    /**
     * Why a brief field or required string is refused, or null: it must hold something other than white space,
     * at most {@value Brief#MAX_FIELD_LENGTH} characters (UTF-16 units, as the job record counts them) and no
     * control characters (line breaks, tabs). The rules of {@link Brief} and {@link TextInput}, checked here so
     * that a bad value is a 422 naming the field (a campaign: a rejected recipient), never a record refused later.
     */
    public static String stringProblem(String s) {
        if (s.isEmpty()) {
            return "must not be empty";
        }
        if (s.isBlank()) {
            return "must not be blank";
        }
        if (s.length() > Brief.MAX_FIELD_LENGTH) {
            return "must have at most " + Brief.MAX_FIELD_LENGTH + " characters (has " + s.length() + ")";
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return "must not contain control characters (line breaks, tabs)";
            }
        }
        return null;
    }

    /**
     * What the content policy checks, by input field: the prompt (when there is one), every string of the
     * brief (a name is not personal data to the policy; an e-mail address in any field is) and every required
     * string (the output must contain it).
     */
    public static Map<String, String> policyTexts(String prompt, Brief brief, List<String> require) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (prompt != null && !prompt.isEmpty()) {
            texts.put("prompt", prompt);
        }
        if (brief != null) {
            brief.fields().forEach((name, value) -> texts.put("brief." + name, value));
        }
        if (require != null) {
            for (int i = 0; i < require.size(); i++) {
                texts.put("require[" + i + "]", require.get(i));
            }
        }
        return texts;
    }

    public static ImageInput image(JsonNode node, Fields f, long defaultSeed) {
        Long seed = f.integer(node, "seed", "input.", Long.MIN_VALUE, Long.MAX_VALUE);
        Long count = f.integer(node, "count", "input.", 1, ImageInput.MAX_COUNT);
        String style = f.string(node, "style", "input.", false, 1, 100);
        Long bestOf = f.integer(node, "best_of", "input.", 1, ImageInput.MAX_BEST_OF);
        Long size = f.integer(node, "size", "input.", 8, 1024);
        int c = count == null ? 1 : count.intValue();
        if (bestOf != null && bestOf < c) {
            f.error("input.best_of", "must be at least count (" + c + ")");
        }
        if (!f.errors().isEmpty()) {
            return null;
        }
        return new ImageInput(
                seed == null ? defaultSeed : seed,
                c,
                style,
                bestOf == null ? c : bestOf.intValue(),
                size == null ? null : size.intValue());
    }

    /**
     * Why a webhook URL is refused, or null: it must be absolute http(s), and must not name loopback,
     * link-local or private addresses (literal or well-known local names) unless allowed. Hosts are not
     * resolved here; delivery re-checks the resolved address.
     */
    public static String webhookProblem(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "must name a host";
        }
        if (uri.getUserInfo() != null) {
            return "must not carry credentials";
        }
        if (allowPrivate) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")) {
            return "must not point to a loopback or private address";
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                InetAddress a = InetAddress.getByName(h); // a literal: no DNS lookup
                if (isPrivate(a)) {
                    return "must not point to a loopback or private address";
                }
            } catch (Exception e) {
                return "not a valid address";
            }
        }
        return null;
    }

    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isSiteLocalAddress()
                || a.isLinkLocalAddress()
                || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0
                    || (first == 100 && second >= 64 && second < 128)
                    || (first == 198 && (second == 18 || second == 19));
        }
        return (b[0] & 0xfe) == 0xfc; // IPv6 unique local fc00::/7
    }
}
