package dev.genfleet.schemas;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Topic names of the fleet. Every name is configurable; {@link #defaults()} are the names of the
 * AsyncAPI document ({@code genfleet/asyncapi.yaml}), and a test keeps the two equal.
 *
 * @param jobsPrefix jobs of pool {@code p} at priority {@code q} go to {@code <jobsPrefix><p>.<q>}
 */
public record Topics(
        String jobsPrefix, String results, String audit, String deadLetters, String control, String models) {

    public static final String DEFAULT_JOBS_PREFIX = "genfleet.jobs.";
    public static final String DEFAULT_RESULTS = "genfleet.results";
    public static final String DEFAULT_AUDIT = "genfleet.audit";
    public static final String DEFAULT_DEAD_LETTERS = "genfleet.jobs.dlq";
    public static final String DEFAULT_CONTROL = "genfleet.control";
    public static final String DEFAULT_MODELS = "genfleet.models";

    /** The pools the shipped configuration runs: one per model family. */
    public static final List<String> DEFAULT_POOLS = List.of("text", "image");

    public Topics {
        Objects.requireNonNull(jobsPrefix, "jobsPrefix");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(models, "models");
    }

    public static Topics defaults() {
        return new Topics(
                DEFAULT_JOBS_PREFIX,
                DEFAULT_RESULTS,
                DEFAULT_AUDIT,
                DEFAULT_DEAD_LETTERS,
                DEFAULT_CONTROL,
                DEFAULT_MODELS);
    }

    /** The jobs topic of a pool at a priority. Pool names are lowercase letters, digits and '-'. */
    public String jobs(String pool, Priority priority) {
        if (pool == null || !pool.matches("[a-z0-9][a-z0-9-]{0,48}")) {
            throw new IllegalArgumentException("pool: invalid name '" + pool + "'");
        }
        return jobsPrefix + pool + "." + priority.wireName();
    }

    /** Every topic the fleet uses for the given pools. */
    public List<String> all(Collection<String> pools) {
        List<String> names = new ArrayList<>();
        for (String pool : pools) {
            for (Priority priority : Priority.values()) {
                names.add(jobs(pool, priority));
            }
        }
        names.addAll(List.of(results, audit, deadLetters, control, models));
        return names;
    }
}
