package dev.genfleet.gateway.policy;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The content policy of configuration {@code genfleet.gateway.policy.*}. */
public class PolicyProducer {

    @Produces
    @Singleton
    ContentPolicy policy(GatewayConfig config) {
        GatewayConfig.PolicyConfig p = config.policy();
        return new ContentPolicy(
                config.limits().maxPromptChars(),
                p.denyTerms().orElse(List.of()),
                p.denyPatterns().orElse(List.of()),
                p.detectEmail(),
                p.detectPhone(),
                p.detectCard());
    }
}
