// The local fleet's admin tasks on a secured broker (./genfleet up --secure), as a single-file program that
// `java` compiles on the fly against the schemas module's classpath:
//
//   java -cp <schemas classpath> deploy/local/SecureAdmin.java topics <client properties> [pool ...]
//   java -cp <schemas classpath> deploy/local/SecureAdmin.java lag    <client properties> [pool ...]
//
// It does what TopicProvisioner.main and FleetLag.main do, but connects with a Kafka client properties
// file (KafkaServerMain --secure writes .genfleet/secure/admin.properties) instead of a bare bootstrap
// address. deploy's SecureAdminTest compiles it, so it cannot drift from the schemas API.

import dev.genfleet.schemas.FleetLag;
import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.TopicProvisioner;
import dev.genfleet.schemas.Topics;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

public final class SecureAdmin {

    private SecureAdmin() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !List.of("topics", "lag").contains(args[0])) {
            System.err.println("usage: SecureAdmin topics|lag <client properties> [pool ...]");
            System.exit(2);
        }
        Map<String, Object> config = new HashMap<>();
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[1]))) {
            file.load(in);
        }
        file.stringPropertyNames().forEach(k -> config.put(k, file.getProperty(k)));
        config.put("request.timeout.ms", 5000);
        config.put("default.api.timeout.ms", 8000);
        List<String> pools = args.length > 2 ? List.of(args).subList(2, args.length) : Topics.DEFAULT_POOLS;
        try (Admin admin = Admin.create(config)) {
            if (args[0].equals("topics")) {
                List<String> created = TopicProvisioner.ensure(admin, TopicCatalog.load().topics(pools));
                System.out.println(
                        "topics created: " + (created.isEmpty() ? "none (all present)" : String.join(", ", created)));
            } else {
                System.out.printf("%-8s %-12s %10s %10s %8s%n", "pool", "priority", "written", "committed", "lag");
                for (FleetLag.Lag lag : FleetLag.measure(admin, Topics.defaults(), pools)) {
                    System.out.printf(
                            "%-8s %-12s %10d %10d %8d%n",
                            lag.pool(), lag.priority().wireName(), lag.end(), lag.committed(), lag.lag());
                }
            }
        }
    }
}
