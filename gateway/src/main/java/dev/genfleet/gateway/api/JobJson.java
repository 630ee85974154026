package dev.genfleet.gateway.api;

import dev.genfleet.gateway.status.JobView;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.TextOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The client-facing JSON of a job (snake_case, nulls left out). Images are links, never inline bytes. */
public final class JobJson {

    private JobJson() {}

    public static Map<String, Object> of(JobView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        String self = "/v1/jobs/" + v.jobId();
        m.put("id", v.jobId());
        m.put("status", v.status() == null ? "SUBMITTED" : v.status());
        m.put("terminal", v.terminal());
        put(m, "model", v.model());
        put(m, "model_version", v.modelVersion());
        put(m, "pool", v.pool());
        put(m, "priority", v.priority());
        put(m, "campaign_id", v.campaignId());
        put(m, "custom_id", v.customId());
        m.put("attempts", v.attempts());
        put(m, "submitted_at", v.submittedAt());
        put(m, "started_at", v.startedAt());
        put(m, "finished_at", v.finishedAt());
        put(m, "updated_at", v.statusTime());
        put(m, "seed", v.seed());
        put(m, "input_sha256", v.inputSha256());
        put(m, "output_sha256", v.outputSha256());
        put(m, "worker_id", v.workerId());
        if (v.error() != null) {
            m.put("error", Map.of("code", v.error().code(), "message", v.error().message()));
        }
        if (v.output() instanceof TextOutput t) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", "text");
            o.put("text", t.text());
            o.put("finish_reason", t.finishReason());
            o.put("prompt_tokens", t.promptTokens());
            o.put("completion_tokens", t.completionTokens());
            put(o, "quality", quality(t.quality()));
            m.put("output", o);
        } else if (v.output() instanceof ImageOutput io) {
            List<Map<String, Object>> images = new ArrayList<>();
            for (int i = 0; i < io.images().size(); i++) {
                ImageArtifact a = io.images().get(i);
                Map<String, Object> img = new LinkedHashMap<>();
                img.put("index", i);
                img.put("media_type", a.mediaType());
                img.put("sha256", a.sha256());
                img.put("width", a.width());
                img.put("height", a.height());
                img.put("seed", a.seed());
                put(img, "score", a.score());
                img.put("url", self + "/output?index=" + i);
                put(img, "ref", a.ref());
                images.add(img);
            }
            m.put("output", Map.of("kind", "image", "images", images));
        }
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("output", self + "/output");
        links.put("events", self + "/events");
        links.put("cancel", self + "/cancel");
        m.put("links", links);
        return m;
    }

    /**
     * What the worker's checks found in a text output ({@code passed}, {@code required_missing},
     * {@code unstated_offers}, {@code unknown_word_ratio}, {@code candidates}), or null for an unchecked job.
     */
    public static Map<String, Object> quality(CopyQuality q) {
        if (q == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", q.passed());
        m.put("required_missing", q.requiredMissing());
        m.put("unstated_offers", q.unstatedOffers());
        m.put("unknown_word_ratio", q.unknownWordRatio());
        m.put("candidates", q.candidates());
        return m;
    }

    public static Map<String, Object> event(JobView.Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.eventId());
        m.put("type", e.type());
        m.put("time", e.time());
        m.put("attempt", e.attempt());
        put(m, "actor", e.actor());
        if (e.reason() != null) {
            m.put(
                    "reason",
                    Map.of("code", e.reason().code(), "message", e.reason().message()));
        }
        if (e.details() != null && !e.details().isEmpty()) {
            Map<String, String> safe = new LinkedHashMap<>(e.details());
            safe.remove("request_sha256");
            if (!safe.isEmpty()) {
                m.put("details", safe);
            }
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
