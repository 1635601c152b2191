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

    /** {@code sweeps/<sweep>/images/<ordinal, 9 digits at least>-<image>.png} (built once per released task). */
    public static String image(UUID sweepId, long ordinal, UUID imageId) {
        return perImage(sweepId, "/images/", ordinal, imageId, ".png");
    }

    /** The thumbnail of a rendered image, next to its PNG. */
    public static String thumbnail(UUID sweepId, long ordinal, UUID imageId) {
        return perImage(sweepId, "/thumbs/", ordinal, imageId, ".jpg");
    }

    /** Without {@code String.format}, which was a tenth of the relay's CPU. */
    private static String perImage(UUID sweepId, String folder, long ordinal, UUID imageId, String extension) {
        String number = Long.toString(ordinal);
        StringBuilder key = new StringBuilder(100).append("sweeps/").append(sweepId).append(folder);
        if (ordinal >= 0) {
            key.append("000000000", 0, Math.max(0, 9 - number.length()));
        }
        return key.append(number).append('-').append(imageId).append(extension).toString();
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
