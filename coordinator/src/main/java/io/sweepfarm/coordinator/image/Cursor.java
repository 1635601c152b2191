package io.sweepfarm.coordinator.image;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset position of an image page: the (sweep_id, ordinal) of the last image returned. Opaque to clients
 * (base64url), so the encoding may change without breaking them.
 */
record Cursor(UUID sweepId, long ordinal) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + sweepId + ":" + ordinal).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals("v1")) {
                throw new IllegalArgumentException();
            }
            return new Cursor(UUID.fromString(parts[1]), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed("cursor", "is not a cursor this API returned");
        }
    }
}
