package dev.genfleet.gateway.api;

import dev.genfleet.gateway.submit.ModelRoutes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the fleet hosts: announced by workers on {@code genfleet.models}, plus static routes. */
@Path("/v1/models")
@Tag(name = "models")
@SecurityRequirement(name = "apiKey")
public class ModelsResource {

    @Inject
    ModelRoutes routes;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Models: id, modality, version, pool, ready (some worker announced it ready), workers")
    public Map<String, Object> list() {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelRoutes.Route r : routes.all().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.model());
            m.put("modality", r.modality());
            if (r.version() != null) {
                m.put("version", r.version());
            }
            m.put("pool", r.pool());
            m.put("ready", r.ready());
            m.put("workers", r.workers());
            models.add(m);
        }
        return Map.of("models", models);
    }
}
