package dev.genfleet.gateway.submit;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.schemas.ModelAnnouncement;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which pool serves a model: what workers announce on {@code genfleet.models} (latest announcement
 * wins), else the static routes of configuration. A model in neither is unknown (422).
 */
@ApplicationScoped
public class ModelRoutes {

    /** A routable model. {@code ready} is true when some worker announced it ready. */
    public record Route(String model, String pool, String modality, String version, boolean ready, int workers) {}

    private final GatewayConfig config;
    private final StatusView view;

    public ModelRoutes(GatewayConfig config, StatusView view) {
        this.config = config;
        this.view = view;
    }

    public Optional<Route> route(String model) {
        return Optional.ofNullable(all().get(model));
    }

    /** Every known model by id. */
    public Map<String, Route> all() {
        Map<String, Route> routes = new TreeMap<>();
        config.models().forEach((id, m) -> routes.put(id, new Route(id, m.pool(), m.modality(), null, false, 0)));
        for (Map.Entry<String, List<ModelAnnouncement>> e :
                view.announcementsByModel().entrySet()) {
            ModelAnnouncement latest = e.getValue().stream()
                    .max((a, b) -> a.announcedAt().compareTo(b.announcedAt()))
                    .orElseThrow();
            long ready = e.getValue().stream().filter(ModelAnnouncement::ready).count();
            routes.put(
                    e.getKey(),
                    new Route(
                            e.getKey(),
                            latest.pool(),
                            latest.modality().toLowerCase(java.util.Locale.ROOT),
                            latest.version(),
                            ready > 0,
                            (int) ready));
        }
        return routes;
    }
}
