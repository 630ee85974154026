package dev.genfleet.gateway.policy;

import java.util.List;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import dev.genfleet.gateway.GatewayConfig;

/** The content policy of configuration {@code genfleet.gateway.policy.*}. */
public class PolicyProducer {

    @Produces
    @Singleton
    ContentPolicy policy(GatewayConfig config) {
        GatewayConfig.PolicyConfig p = config.policy();
        return new ContentPolicy(config.limits().maxPromptChars(), p.denyTerms().orElse(List.of()),
                p.denyPatterns().orElse(List.of()), p.detectEmail(), p.detectPhone(), p.detectCard());
    }
}
