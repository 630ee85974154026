package dev.genfleet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What makes an {@link EmbeddedKafkaBroker} a production-like one: TLS material and SCRAM users.
 *
 * <ul>
 *   <li>A CA and a broker certificate for {@code 127.0.0.1}/{@code localhost}, made at first use with the
 *       JDK's own {@code keytool} (nothing downloaded): {@code ca.crt} (PEM, for librdkafka clients such as
 *       kcat), {@code truststore.p12} (the CA, for Java clients) and {@code broker.p12} (key and chain).
 *   <li>One SCRAM-SHA-512 password per user, {@link #ADMIN} included, in {@code users.properties}. The broker
 *       gets them at format time ({@code kafka-storage format --add-scram}).
 * </ul>
 *
 * All files live in one folder, readable by its owner only. A folder that already holds them is reused
 * (the local mode's broker keeps its users across restarts); a user missing from it gets a new password.
 */
public final class BrokerSecurity {

    /** The super user: the only principal with rights that no ACL grants (and the broker's own identity). */
    public static final String ADMIN = "admin";

    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final String USERS_FILE = "users.properties";
    private static final String STORE_PASSWORD_KEY = "_store.password";

    private final Path dir;
    private final String storePassword;
    private final Map<String, String> passwords;

    private BrokerSecurity(Path dir, String storePassword, Map<String, String> passwords) {
        this.dir = dir;
        this.storePassword = storePassword;
        this.passwords = passwords;
    }

    /**
     * The security of a broker whose files live in {@code dir}: the users named here (plus {@link #ADMIN}), a
     * password each, and the TLS material; made where missing, reused where present.
     */
    public static BrokerSecurity create(Path dir, Collection<String> users) {
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, true);
            Path usersFile = dir.resolve(USERS_FILE);
            Properties stored = new Properties();
            if (Files.exists(usersFile)) {
                try (InputStream in = Files.newInputStream(usersFile)) {
                    stored.load(in);
                }
            }
            boolean changed = false;
            boolean newStorePassword = stored.getProperty(STORE_PASSWORD_KEY) == null;
            if (newStorePassword) {
                stored.setProperty(STORE_PASSWORD_KEY, secret());
                changed = true;
            }
            List<String> all = new ArrayList<>();
            all.add(ADMIN);
            users.stream().filter(u -> !all.contains(u)).forEach(all::add);
            Map<String, String> passwords = new LinkedHashMap<>();
            for (String user : all) {
                if (!user.matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("a Kafka user name of letters, digits, . _ - only: " + user);
                }
                if (stored.getProperty(user) == null) {
                    stored.setProperty(user, secret());
                    changed = true;
                }
                passwords.put(user, stored.getProperty(user));
            }
            for (String user : new java.util.TreeSet<>(stored.stringPropertyNames())) {
                if (!user.equals(STORE_PASSWORD_KEY)) {
                    passwords.putIfAbsent(user, stored.getProperty(user));
                }
            }
            if (changed) {
                try (OutputStream out = Files.newOutputStream(usersFile)) {
                    stored.store(out, "SCRAM-SHA-512 passwords of the genfleet broker's users");
                }
                ownerOnly(usersFile, false);
            }
            BrokerSecurity security = new BrokerSecurity(dir, stored.getProperty(STORE_PASSWORD_KEY), passwords);
            if (newStorePassword || !Files.exists(security.keystore()) || !Files.exists(security.truststore())) {
                security.makeCertificates();
            }
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The security of a broker that already runs, from its folder (the parent of the truststore a client was
     * given): how a test reaches the users of the broker its application under test was pointed at.
     */
    public static BrokerSecurity open(Path dir) {
        if (!Files.exists(dir.resolve(USERS_FILE))) {
            throw new IllegalArgumentException("no secured broker's files in " + dir);
        }
        return create(dir, List.of());
    }

    /** The folder with the CA, the stores and the users' passwords. */
    public Path dir() {
        return dir;
    }

    /** The CA certificate (PEM) that signed the broker's certificate. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** PKCS12 store holding only the CA: what Java clients trust. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String truststorePassword() {
        return storePassword;
    }

    Path keystore() {
        return dir.resolve("broker.p12");
    }

    /** The users, {@link #ADMIN} first (also those an earlier start of the broker made). */
    public List<String> users() {
        return List.copyOf(passwords.keySet());
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such Kafka user: " + user + " (have " + passwords.keySet() + ")");
        }
        return password;
    }

    /**
     * What a Java client needs besides {@code bootstrap.servers} to connect as {@code user} with {@code
     * password}: SASL_SSL, SCRAM-SHA-512, the JAAS line and the truststore.
     */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", scramJaas(user, password));
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /**
     * The broker's side: the SASL_SSL client listener named {@code CLIENT} (SCRAM only, the broker's key
     * store), and the loopback listeners {@code INTERNAL} (inter-broker) and {@code CONTROLLER} on
     * SASL_PLAINTEXT with PLAIN, where only {@link #ADMIN} exists. SCRAM cannot secure them: SCRAM credentials
     * live in the cluster metadata, which the controller must serve before anyone can log in with them.
     * StandardAuthorizer denies whatever no ACL allows; {@link #ADMIN} is the one super user.
     */
    Properties brokerConfig() {
        Properties p = new Properties();
        String plainJaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                + "\" password=\"" + password(ADMIN) + "\" user_" + ADMIN + "=\"" + password(ADMIN) + "\";";
        p.put("listener.security.protocol.map", "CLIENT:SASL_SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.client.sasl.enabled.mechanisms", MECHANISM);
        p.put(
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.client.ssl.keystore.location", keystore().toString());
        p.put("listener.name.client.ssl.keystore.password", storePassword);
        p.put("listener.name.client.ssl.key.password", storePassword);
        p.put("listener.name.client.ssl.keystore.type", "PKCS12");
        p.put("listener.name.client.ssl.client.auth", "none");
        p.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.internal.plain.sasl.jaas.config", plainJaas);
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", plainJaas);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + ADMIN);
        return p;
    }

    /** {@code kafka-storage format} arguments that store every user's SCRAM credential. */
    List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        passwords.forEach((user, password) -> {
            args.add("--add-scram");
            args.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
        });
        return args;
    }

    private void makeCertificates() throws IOException {
        Path ca = dir.resolve("ca.p12");
        Path csr = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.crt");
        for (Path p : List.of(ca, keystore(), truststore(), csr, signed, caCertificate())) {
            Files.deleteIfExists(p);
        }
        String san = "SAN=ip:127.0.0.1,dns:localhost";
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=genfleet test CA",
                "-ext",
                "bc:c",
                "-validity",
                "3650",
                "-keystore",
                ca.toString());
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-file",
                caCertificate().toString());
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                san,
                "-validity",
                "3650",
                "-keystore",
                keystore().toString());
        keytool("-certreq", "-alias", "broker", "-keystore", keystore().toString(), "-file", csr.toString());
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-infile",
                csr.toString(),
                "-outfile",
                signed.toString(),
                "-ext",
                san,
                "-ext",
                "ku:c=digitalSignature,keyAgreement",
                "-ext",
                "eku=serverAuth",
                "-validity",
                "3650");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-keystore",
                keystore().toString(),
                "-file",
                caCertificate().toString());
        keytool("-importcert", "-alias", "broker", "-keystore", keystore().toString(), "-file", signed.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-keystore",
                truststore().toString(),
                "-file",
                caCertificate().toString());
        Files.delete(csr);
        Files.delete(signed);
        for (Path p : List.of(ca, keystore(), truststore(), caCertificate())) {
            ownerOnly(p, false);
        }
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", storePassword));
        if (!args[0].equals("-exportcert")) {
            command.addAll(List.of("-keypass", storePassword));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String secret() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    static void ownerOnly(Path path, boolean directory) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: left to the platform's defaults
        }
    }
}
