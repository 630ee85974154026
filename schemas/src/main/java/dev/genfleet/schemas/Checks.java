package dev.genfleet.schemas;

import java.util.Objects;

/** Argument checks shared by the records; messages name the JSON field. */
final class Checks {

    private Checks() {}

    static String required(String field, String value) {
        Objects.requireNonNull(value, field + ": required");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
        return value;
    }

    static <T> T required(String field, T value) {
        return Objects.requireNonNull(value, field + ": required");
    }

    static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside [" + min + ", " + max + "]");
        }
    }

    static void range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + ": " + value + " is outside [" + min + ", " + max + "]");
        }
    }
}
