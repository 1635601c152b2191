package io.sweepfarm.engine.tokenizer;

/**
 * GPT-2's reversible map from the 256 byte values to printable Unicode characters ({@code bytes_to_unicode} in
 * openai/CLIP {@code clip/simple_tokenizer.py}): the printable Latin-1 bytes {@code ! .. ~}, {@code ¡ .. ¬} and
 * {@code ® .. ÿ} map to themselves; the other 68 bytes (control characters, space, soft hyphen, ...) map, in byte
 * order, to U+0100, U+0101, .... BPE symbols are strings of these characters, so they never contain a space.
 */
final class ByteUnicode {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The order of the 256 single-character symbols at the start of a CLIP vocabulary. */
    private static final char[] VOCAB_ORDER = new char[256];

    static {
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                BYTE_TO_CHAR[b] = (char) b;
                VOCAB_ORDER[n++] = (char) b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
                VOCAB_ORDER[n++] = BYTE_TO_CHAR[b];
            }
        }
    }

    private ByteUnicode() {
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The character that stands for byte {@code b} (0..255). */
    static char encode(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a symbol character stands for, or -1 if it is not one of the 256. */
    static int decode(char c) {
        if (c < 256 && isPrintable(c)) {
            return c;
        }
        if (c >= 256 && c < 256 + 68) {
            int k = c - 256;
            for (int b = 0; b < 256; b++) {
                if (!isPrintable(b) && k-- == 0) {
                    return b;
                }
            }
        }
        return -1;
    }

    /** The symbol characters in the order CLIP's vocabulary lists them (ids 0..255, and 256..511 with {@code </w>}). */
    static char[] vocabOrder() {
        return VOCAB_ORDER.clone();
    }
}
