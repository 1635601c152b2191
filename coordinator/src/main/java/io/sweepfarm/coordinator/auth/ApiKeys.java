package io.sweepfarm.coordinator.auth;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys this coordinator accepts, known only by their SHA-256 ({@code sweepfarm.coordinator.auth.key-hashes},
 * entries {@code name:hex}). A key is 32 random bytes ({@link #mint()}), so a plain SHA-256 cannot be reversed or
 * guessed; a slow password hash would add nothing but cost to every request. A presented key is hashed and compared
 * with every configured hash in constant time. Keys never appear in logs or responses; names do.
 */
@ApplicationScoped
public class ApiKeys {

    static final String PREFIX = "sf_";
    /** Longer presented keys are refused without hashing them. */
    static final int MAX_KEY_LENGTH = 200;
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9._-]{1,64}):([0-9a-fA-F]{64})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One accepted key: its name (for logs) and its SHA-256. */
    record Entry(String name, byte[] sha256) {
    }

    @Inject
    CoordinatorConfig config;

    private volatile List<Entry> entries;

    void onStart(@Observes StartupEvent event) {
        List<Entry> parsed = entries();
        if (config.auth().enabled()) {
            if (parsed.isEmpty()) {
                Log.warn("API keys are required for writes (sweepfarm.coordinator.auth.enabled) but none is configured "
                        + "in sweepfarm.coordinator.auth.key-hashes: every write is refused with 401 until an operator "
                        + "adds one (see docs/operations.md, API keys)");
            } else {
                Log.infof("API keys required for writes%s; %d key(s) configured: %s",
                        config.auth().protectReads() ? " and reads" : "", parsed.size(),
                        parsed.stream().map(Entry::name).toList());
            }
        } else {
            Log.info("API keys are off (sweepfarm.coordinator.auth.enabled=false): anyone who reaches this port may "
                    + "write");
        }
    }

    /** The name of the configured key {@code key} is, if it is one. */
    public Optional<String> verify(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = sha256(key);
        String match = null;
        for (Entry e : entries()) {
            if (MessageDigest.isEqual(presented, e.sha256()) && match == null) {
                match = e.name();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Whether any key is configured. */
    public boolean any() {
        return !entries().isEmpty();
    }

    private List<Entry> entries() {
        List<Entry> e = entries;
        if (e == null) {
            e = parse(config.auth().keyHashes().orElse(List.of()));
            entries = e;
        }
        return e;
    }

    /** Parses {@code name:sha256hex} entries; a malformed one stops the start, naming the setting. */
    static List<Entry> parse(List<String> raw) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String s = raw.get(i).trim();
            if (s.isEmpty()) {
                continue;
            }
            var m = ENTRY.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("sweepfarm.coordinator.auth.key-hashes[" + i + "] must be "
                        + "name:sha256hex (a name of letters, digits, '.', '_' or '-', a colon, 64 hex digits); "
                        + "MintKey prints one");
            }
            out.add(new Entry(m.group(1), HexFormat.of().parseHex(m.group(2).toLowerCase())));
        }
        return List.copyOf(out);
    }

    /** A new random key: {@code sf_} and 32 random bytes, base64url. */
    public static String mint() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 of a key, in hex, as {@code key-hashes} lists it. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
