package dev.genfleet.gateway.api;

import dev.genfleet.gateway.api.contract.Job;
import dev.genfleet.gateway.api.contract.JobError;
import dev.genfleet.gateway.api.contract.Output;
import dev.genfleet.gateway.api.contract.Quality;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.TextOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client-facing body of a job ({@link Job}: snake_case, absent values left out) and of its lifecycle events.
 * Images are links, never inline bytes.
 */
public final class JobJson {

    private JobJson() {}

    public static Job of(JobView v) {
        Output output = null;
        if (v.output() instanceof TextOutput t) {
            output = new Output.Text(
                    t.text(), t.finishReason(), t.promptTokens(), t.completionTokens(), Quality.of(t.quality()));
        } else if (v.output() instanceof ImageOutput io) {
            List<Output.Image> images = new ArrayList<>();
            for (int i = 0; i < io.images().size(); i++) {
                ImageArtifact a = io.images().get(i);
                images.add(new Output.Image(
                        i,
                        a.mediaType(),
                        a.sha256(),
                        a.width(),
                        a.height(),
                        a.seed(),
                        a.score(),
                        "/v1/jobs/" + v.jobId() + "/output?index=" + i,
                        a.ref()));
            }
            output = new Output.Images(images);
        }
        return new Job(
                v.jobId(),
                v.status() == null ? "SUBMITTED" : v.status(),
                v.terminal(),
                v.model(),
                v.modelVersion(),
                v.pool(),
                v.priority(),
                v.campaignId(),
                v.customId(),
                v.attempts(),
                v.submittedAt(),
                v.startedAt(),
                v.finishedAt(),
                v.statusTime(),
                v.seed(),
                v.inputSha256(),
                v.outputSha256(),
                v.workerId(),
                JobError.of(v.error()),
                output,
                Job.Links.of(v.jobId()));
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
