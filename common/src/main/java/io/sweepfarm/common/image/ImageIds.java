package io.sweepfarm.common.image;

import java.util.Optional;
import java.util.UUID;

/**
 * Image ids without a row per image: the id of image {@code ordinal} of the sweep numbered {@code sweepSeq} is a
 * UUID (RFC 9562 version 8, the vendor-specific layout) that encodes both, so any id can be resolved back to its
 * sweep and ordinal by arithmetic.
 *
 * <pre>
 * bits 127..80  sweep sequence number (48 bits)
 * bits  79..76  version 8
 * bits  75..64  ordinal bits 73..62
 * bits  63..62  variant 0b10
 * bits  61..0   ordinal bits 61..0
 * </pre>
 */
public final class ImageIds {

    /** The largest sweep sequence number an id can carry. */
    public static final long MAX_SEQ = (1L << 48) - 1;

    private ImageIds() {
    }

    /** The id of image {@code ordinal} (≥ 0) of the sweep with sequence number {@code sweepSeq} (1 … 2⁴⁸−1). */
    public static UUID of(long sweepSeq, long ordinal) {
        if (sweepSeq <= 0 || sweepSeq > MAX_SEQ) {
            throw new IllegalArgumentException("sweep sequence number out of range: " + sweepSeq);
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("negative ordinal " + ordinal);
        }
        long msb = (sweepSeq << 16) | 0x8000L | ((ordinal >>> 62) & 0x0FFFL);
        long lsb = (ordinal & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** A decoded image id. */
    public record Decoded(long sweepSeq, long ordinal) {
    }

    /** The sweep sequence number and ordinal an id encodes; empty for ids of any other form. */
    public static Optional<Decoded> decode(UUID id) {
        if (id.version() != 8 || id.variant() != 2) {
            return Optional.empty();
        }
        long msb = id.getMostSignificantBits();
        long seq = msb >>> 16;
        long ordinal = ((msb & 0x0FFFL) << 62) | (id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL);
        return seq == 0 ? Optional.empty() : Optional.of(new Decoded(seq, ordinal));
    }
}
