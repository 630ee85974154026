package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.DiscriminatorMapping;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job's output as clients see it: text inline, images as links (never inline bytes). */
@Schema(
        name = "JobOutput",
        description = "The job's output, by kind: text inline, images as links",
        oneOf = {Output.Text.class, Output.Images.class},
        discriminatorProperty = "kind",
        discriminatorMapping = {
            @DiscriminatorMapping(value = "text", schema = Output.Text.class),
            @DiscriminatorMapping(value = "image", schema = Output.Images.class)
        })
public sealed interface Output permits Output.Text, Output.Images {

    /** {@code text} or {@code image}. */
    String kind();

    @Schema(name = "TextOutput", description = "Generated text")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Text(
            @Schema(
                    required = true,
                    description = "Always text for a text output",
                    constValue = "text",
                    examples = "text")
            String kind,

            @Schema(
                    required = true,
                    description = "The generated text",
                    examples = "Meet Acme boots: dry feet, all year.")
            String text,

            @JsonProperty("finish_reason")
            @Schema(
                    required = true,
                    description = "stop (a stop sequence ended it) or length (max_tokens reached)",
                    enumeration = {"stop", "length"},
                    examples = "stop")
            String finishReason,

            @JsonProperty("prompt_tokens")
            @Schema(required = true, description = "Tokens of the prompt", minimum = "0", examples = "12")
            int promptTokens,

            @JsonProperty("completion_tokens")
            @Schema(required = true, description = "Tokens generated", minimum = "0", examples = "34")
            int completionTokens,

            @Schema(description = "What the checks found; only for a checked job")
            Quality quality)
            implements Output {

        public Text(String text, String finishReason, int promptTokens, int completionTokens, Quality quality) {
            this("text", text, finishReason, promptTokens, completionTokens, quality);
        }
    }

    @Schema(name = "ImageOutput", description = "Generated images, best realism score first, as links")
    record Images(
            @Schema(
                    required = true,
                    description = "Always image for an image output",
                    constValue = "image",
                    examples = "image")
            String kind,

            @Schema(required = true, description = "The images, in the order their index names")
            List<Image> images)
            implements Output {

        public Images(List<Image> images) {
            this("image", images);
        }
    }

    @Schema(name = "Image", description = "One generated image: its link, digest, size and seed")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Image(
            @Schema(
                    required = true,
                    description = "The image's position, for /output?index=",
                    minimum = "0",
                    examples = "0")
            int index,

            @JsonProperty("media_type")
            @Schema(required = true, description = "The image's media type", examples = "image/png")
            String mediaType,

            @Schema(
                    required = true,
                    description = "SHA-256 (lowercase hex) of the image bytes",
                    pattern = "^[0-9a-f]{64}$",
                    examples = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
            String sha256,

            @Schema(required = true, description = "Width in pixels", minimum = "1", examples = "64")
            int width,

            @Schema(required = true, description = "Height in pixels", minimum = "1", examples = "64")
            int height,

            @Schema(required = true, description = "The seed this image was generated from", examples = "4243")
            long seed,

            @Schema(
                    description = "Realism score from the model's discriminator, when it has one",
                    minimum = "0",
                    maximum = "1",
                    examples = "0.82")
            Double score,

            @Schema(
                    required = true,
                    description = "Where to fetch the image from the gateway (image/png, or a 303 to ref)",
                    examples = "/v1/jobs/0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11/output?index=0")
            String url,

            @Schema(
                    description = "Where a large image is stored (claim check), when it is not held inline",
                    examples = "s3://genfleet-images/0b6f3a52/0.png")
            String ref) {}
}
