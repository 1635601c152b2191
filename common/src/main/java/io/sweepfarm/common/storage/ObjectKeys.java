package io.sweepfarm.common.storage;

import java.util.UUID;

/**
 * The object-key scheme of the image bucket. Keys are deterministic, so a re-delivered task overwrites the same
 * object with the same bytes instead of creating a second copy.
 *
 * <pre>
 * sweeps/{sweepId}/images/{ordinal, 9 digits}-{imageId}.png   rendered images, listed in sweep order
 * sweeps/{sweepId}/thumbs/{ordinal, 9 digits}-{imageId}.jpg   their thumbnails, made once on first view (web UI)
 * inputs/{sha256}.png                                         uploaded init images and masks, content-addressed
 * </pre>
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String image(UUID sweepId, long ordinal, UUID imageId) {
        return String.format("sweeps/%s/images/%09d-%s.png", sweepId, ordinal, imageId);
    }

    /** The thumbnail of a rendered image, next to its PNG. */
    public static String thumbnail(UUID sweepId, long ordinal, UUID imageId) {
        return String.format("sweeps/%s/thumbs/%09d-%s.jpg", sweepId, ordinal, imageId);
    }

    public static String sweepPrefix(UUID sweepId) {
        return "sweeps/" + sweepId + "/";
    }

    public static String input(String sha256Hex) {
        if (!sha256Hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256Hex);
        }
        return "inputs/" + sha256Hex + ".png";
    }
}
