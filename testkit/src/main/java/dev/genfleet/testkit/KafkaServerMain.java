package dev.genfleet.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local mode's broker as its own JVM: {@code java -cp <testkit classpath>
 * dev.genfleet.testkit.KafkaServerMain <data dir> [port] [controller port]}. Data survives restarts;
 * listens on 127.0.0.1 only; stops cleanly on SIGTERM.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: KafkaServerMain <data dir> [port=9092] [controller port=9093]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int controllerPort = args.length > 2 ? Integer.parseInt(args[2]) : 9093;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistent(
                        dataDir,
                        port,
                        controllerPort,
                        Map.of("auto.create.topics.enable", "false", "log.retention.hours", "24"))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "kafka-stop"));
        System.out.println("genfleet kafka ready on " + broker.bootstrapServers() + " data " + dataDir);
        stopped.await();
    }
}
