package dev.genfleet.schemas;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The model input of a job: text or image, told apart on the wire by {@code kind}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TextInput.class, name = "text"),
    @JsonSubTypes.Type(value = ImageInput.class, name = "image")
})
public sealed interface JobInput permits TextInput, ImageInput {

    /** The seed the job runs with; the gateway fills one in when the client gave none. */
    long seed();
}
