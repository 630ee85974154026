package dev.genfleet.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/** A running secured broker as its clients see it: where it listens and who may log in. */
public record SecuredKafka(String bootstrapServers, BrokerSecurity security) {

    /** {@code bootstrap.servers} and the SASL_SSL settings of {@code user} (see {@link BrokerSecurity}). */
    public Map<String, String> clientProperties(String user) {
        return clientProperties(user, security.password(user));
    }

    /** As {@link #clientProperties(String)} with a password of the caller's choice (a wrong one, say). */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(security.clientProperties(user, password));
        return p;
    }

    /** The super user's settings: for creating topics and ACLs. */
    public Map<String, String> adminProperties() {
        return clientProperties(BrokerSecurity.ADMIN);
    }
}
