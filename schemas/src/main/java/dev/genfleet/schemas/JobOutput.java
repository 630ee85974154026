package dev.genfleet.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** What a job produced: text inline, images inline or by reference. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TextOutput.class, name = "text"),
    @JsonSubTypes.Type(value = ImageOutput.class, name = "image")
})
public sealed interface JobOutput permits TextOutput, ImageOutput {}
