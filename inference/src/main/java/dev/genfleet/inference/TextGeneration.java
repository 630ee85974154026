package dev.genfleet.inference;

/**
 * The output of one text row.
 *
 * @param finishReason {@code "stop"} when a stop sequence ended it (the stop sequence is not part of
 *     {@code text}), {@code "length"} when max tokens did
 */
public record TextGeneration(String text, String finishReason, int promptTokens, int completionTokens) {}
