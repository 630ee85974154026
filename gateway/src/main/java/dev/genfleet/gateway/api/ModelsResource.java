package dev.genfleet.gateway.api;

import dev.genfleet.gateway.api.contract.Models;
import dev.genfleet.gateway.submit.ModelRoutes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
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
    public Models list() {
        List<Models.Model> models = new ArrayList<>();
        for (ModelRoutes.Route r : routes.all().values()) {
            models.add(new Models.Model(r.model(), r.modality(), r.version(), r.pool(), r.ready(), r.workers()));
        }
        return new Models(models);
    }
}
