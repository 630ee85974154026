package dev.genfleet.gateway.tenant;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer API keys, stored only as SHA-256 hashes (config {@code genfleet.gateway.auth.keys."<hex>"=tenant}
 * or a mounted file of {@code <hex> <tenant>} lines), so a leaked config does not leak keys.
 */
@ApplicationScoped
public class ApiKeys {

    private final Map<String, String> tenantByHash;

    public ApiKeys(GatewayConfig config) {
        Map<String, String> keys = new HashMap<>();
        config.auth().keys().forEach((hash, tenant) -> keys.put(hash.toLowerCase(Locale.ROOT), tenant));
        config.auth().keysFile().ifPresent(file -> readFile(Path.of(file), keys));
        this.tenantByHash = Map.copyOf(keys);
    }

    /** The tenant of a presented key, if any. */
    public Optional<String> tenantOf(String apiKey) {
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > 512) {
            return Optional.empty();
        }
        return Optional.ofNullable(tenantByHash.get(sha256Hex(apiKey)));
    }

    public static String sha256Hex(String value) {
        return sha256Hex(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFile(Path file, Map<String, String> keys) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalStateException(
                            "API key file " + file + ": expected '<sha256-hex> <tenant>' lines");
                }
                keys.put(parts[0].toLowerCase(Locale.ROOT), parts[1]);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read API key file " + file + ": " + e.getMessage(), e);
        }
    }
}
