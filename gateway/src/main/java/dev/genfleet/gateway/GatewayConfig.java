package dev.genfleet.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every gateway setting, with its default. Prefix {@code genfleet.gateway}. */
@ConfigMapping(prefix = "genfleet.gateway")
public interface GatewayConfig {

    /** Topic names (defaults = the AsyncAPI document's). */
    TopicsConfig topics();

    /** Static model → pool routes; announcements on the models topic add to and override them. */
    Map<String, StaticModel> models();

    Auth auth();

    Limits limits();

    PolicyConfig policy();

    /** Create missing topics at startup from the AsyncAPI catalog (local mode, tests). */
    @WithName("create-topics")
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of topics the gateway creates; empty = the AsyncAPI document's count. */
    @WithName("create-topics-partitions")
    Optional<Integer> createTopicsPartitions();

    /** Milliseconds to wait for Kafka to acknowledge a record before answering 503. */
    @WithName("ack-timeout-ms")
    @WithDefault("15000")
    long ackTimeoutMs();

    /** Allow webhook URLs on loopback and private networks (local mode). */
    @WithName("webhooks-allow-private")
    @WithDefault("false")
    boolean webhooksAllowPrivate();

    interface TopicsConfig {
        @WithDefault("genfleet.jobs.")
        String jobsPrefix();

        @WithDefault("genfleet.results")
        String results();

        @WithDefault("genfleet.audit")
        String audit();

        @WithDefault("genfleet.jobs.dlq")
        String deadLetters();

        @WithDefault("genfleet.control")
        String control();

        @WithDefault("genfleet.models")
        String models();
    }

    interface StaticModel {
        /** Worker pool hosting the model (topic {@code genfleet.jobs.<pool>.<priority>}). */
        String pool();

        /** {@code text} or {@code image}. */
        String modality();
    }

    interface Auth {
        /** SHA-256 (lowercase hex) of an API key → tenant id. */
        Map<String, String> keys();

        /** A mounted file of {@code <sha256-hex> <tenant>} lines (comments with '#'). */
        @WithName("keys-file")
        Optional<String> keysFile();
    }

    interface Limits {
        /** Largest accepted JSON body of a job, in bytes. */
        @WithName("max-body-bytes")
        @WithDefault("65536")
        int maxBodyBytes();

        /** Largest accepted prompt or template, in characters. */
        @WithName("max-prompt-chars")
        @WithDefault("8000")
        int maxPromptChars();

        /** Largest JSON campaign body (recipients inline), in bytes; larger lists go as NDJSON. */
        @WithName("max-campaign-json-bytes")
        @WithDefault("4194304")
        int maxCampaignJsonBytes();

        /** Largest single NDJSON line, in bytes. */
        @WithName("max-ndjson-line-bytes")
        @WithDefault("65536")
        int maxNdjsonLineBytes();

        /** Most recipients in one campaign. */
        @WithName("max-recipients")
        @WithDefault("1000000")
        int maxRecipients();

        /** Most records a campaign upload keeps in flight to Kafka (bounds gateway memory). */
        @WithName("campaign-in-flight")
        @WithDefault("2000")
        int campaignInFlight();

        /** Requests per second per tenant (token bucket refill); 0 = unlimited. */
        @WithName("requests-per-second")
        @WithDefault("0")
        double requestsPerSecond();

        /** Burst size of the per-tenant token bucket. */
        @WithDefault("50")
        int burst();
    }

    interface PolicyConfig {
        /** Case-insensitive whole-word terms a prompt must not contain. */
        @WithName("deny-terms")
        Optional<List<String>> denyTerms();

        /** Regular expressions a prompt must not match. */
        @WithName("deny-patterns")
        Optional<List<String>> denyPatterns();

        @WithName("detect-email")
        @WithDefault("true")
        boolean detectEmail();

        @WithName("detect-phone")
        @WithDefault("true")
        boolean detectPhone();

        @WithName("detect-card")
        @WithDefault("true")
        boolean detectCard();
    }

    default dev.genfleet.schemas.Topics toTopics() {
        TopicsConfig t = topics();
        return new dev.genfleet.schemas.Topics(t.jobsPrefix(), t.results(), t.audit(), t.deadLetters(), t.control(),
                t.models());
    }
}
