package dev.genfleet.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which jobs topic of a pool a job goes to; interactive is served before bulk. */
public enum Priority {
    @JsonProperty("interactive")
    INTERACTIVE,
    @JsonProperty("bulk")
    BULK;

    /** The topic suffix and JSON name. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
