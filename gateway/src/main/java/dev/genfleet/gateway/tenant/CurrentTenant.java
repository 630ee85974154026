package dev.genfleet.gateway.tenant;

import jakarta.enterprise.context.RequestScoped;

/**
 * The tenant the request authenticated as; set by the edge ({@code api/AuthFilter}) before any {@code /v1} resource
 * runs.
 */
@RequestScoped
public class CurrentTenant {

    private String id;

    public String id() {
        if (id == null) {
            throw new IllegalStateException("no authenticated tenant on this request");
        }
        return id;
    }

    /** Called once per request, by the edge, with the tenant its credential names. */
    public void set(String id) {
        this.id = id;
    }
}
