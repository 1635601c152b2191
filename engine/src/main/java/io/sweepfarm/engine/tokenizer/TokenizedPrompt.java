package io.sweepfarm.engine.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * A prompt as text-encoder input: {@code chunks} rows of {@code contextLength} (77) token ids, each row laid out as
 * start token, up to 75 prompt tokens, end token, then padding; with one weight per position for A1111 emphasis.
 *
 * <p>Row {@code c} occupies {@code ids[c * contextLength, (c + 1) * contextLength)}. Feed each row to the text encoder
 * as one {@code [1, 77]} input and concatenate the outputs along the sequence axis ({@code [1, chunks * 77, dim]}).
 * The arrays are shared, not copied: treat them as read-only. As a record holding arrays, equality is identity.
 *
 * @param chunks the number of rows, at least 1
 * @param contextLength the length of one row (77 for CLIP)
 * @param ids {@code chunks * contextLength} token ids
 * @param weights {@code chunks * contextLength} emphasis weights; 1.0 for start, end and padding positions
 * @param tokenCount the prompt's own tokens placed in the rows (without start, end and padding)
 * @param warnings human-readable notes to record on the image (e.g. truncation); empty when none
 */
public record TokenizedPrompt(int chunks, int contextLength, int[] ids, float[] weights, int tokenCount,
                              List<String> warnings) {

    /** Checks the shapes and copies the warnings. */
    public TokenizedPrompt {
        if (chunks < 1 || contextLength < 3) {
            throw new IllegalArgumentException("need chunks >= 1 and contextLength >= 3");
        }
        if (ids.length != chunks * contextLength || weights.length != ids.length) {
            throw new IllegalArgumentException("ids and weights must hold chunks * contextLength = "
                    + chunks * contextLength + " values, got " + ids.length + " and " + weights.length);
        }
        warnings = List.copyOf(warnings);
    }

    /** The token ids of row {@code chunk} (a copy). */
    public int[] chunkIds(int chunk) {
        return Arrays.copyOfRange(ids, chunk * contextLength, (chunk + 1) * contextLength);
    }

    /** The weights of row {@code chunk} (a copy). */
    public float[] chunkWeights(int chunk) {
        return Arrays.copyOfRange(weights, chunk * contextLength, (chunk + 1) * contextLength);
    }
}
