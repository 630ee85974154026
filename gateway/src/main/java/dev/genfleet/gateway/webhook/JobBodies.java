package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.status.JobView;
import java.util.Map;

/**
 * A job as the API answers {@code GET /v1/jobs/{id}}, as a JSON object: the {@code data} of a {@code job.finished}
 * delivery. The {@code api} package provides it ({@code api/ServedJobBodies}), so a webhook carries exactly what a
 * client reads without this package knowing the API's types.
 */
public interface JobBodies {

    /** The job's body, member by member and in order as {@code GET /v1/jobs/{id}} writes it; a mutable map. */
    Map<String, Object> of(JobView job);
}
