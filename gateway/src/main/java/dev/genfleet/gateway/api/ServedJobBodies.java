package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.webhook.JobBodies;
import dev.genfleet.schemas.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** The webhooks' view of a job: the {@link dev.genfleet.gateway.api.contract.Job} the API serves, as JSON members. */
@ApplicationScoped
public class ServedJobBodies implements JobBodies {

    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    @Override
    public Map<String, Object> of(JobView job) {
        return Json.mapper().convertValue(JobJson.of(job), JSON_OBJECT);
    }
}
