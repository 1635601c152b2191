package io.sweepfarm.engine;

import io.sweepfarm.engine.model.TextEncoder;
import io.sweepfarm.engine.tokenizer.TokenizedPrompt;
import java.util.List;

/**
 * Text conditioning: runs tokenized prompts through the text encoder and applies AUTOMATIC1111's emphasis weights.
 *
 * <p>Each prompt is {@code chunks} rows of 77 tokens; every row is encoded on its own and the rows of a prompt are
 * concatenated along the sequence axis, giving [chunks·77, hidden] per prompt. Emphasis multiplies each token's
 * hidden vector by its weight and then rescales the row so its mean is unchanged, as A1111 does; unlike A1111 the
 * mean is taken per row rather than over the whole batch, so a prompt's conditioning never depends on its
 * neighbours in a batch.
 */
final class PromptEncoder {

    private final TextEncoder encoder;

    PromptEncoder(TextEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Encodes prompts that all have the same number of chunks.
     *
     * @return hidden states [prompts.size(), chunks·77, hidden]
     */
    float[] encode(List<TokenizedPrompt> prompts) {
        int chunks = prompts.get(0).chunks();
        int context = prompts.get(0).contextLength();
        int rows = prompts.size() * chunks;
        int[] ids = new int[rows * context];
        float[] weights = new float[rows * context];
        for (int p = 0; p < prompts.size(); p++) {
            TokenizedPrompt tp = prompts.get(p);
            if (tp.chunks() != chunks || tp.contextLength() != context) {
                throw new IllegalArgumentException("prompts of one U-Net batch must have equal chunk counts");
            }
            System.arraycopy(tp.ids(), 0, ids, p * chunks * context, chunks * context);
            System.arraycopy(tp.weights(), 0, weights, p * chunks * context, chunks * context);
        }
        float[] hidden = encoder.encode(ids, rows, context);
        int width = hidden.length / (rows * context);
        for (int r = 0; r < rows; r++) {
            applyEmphasis(hidden, weights, r, context, width);
        }
        return hidden;
    }

    private static void applyEmphasis(float[] hidden, float[] weights, int row, int context, int width) {
        int t0 = row * context;
        boolean weighted = false;
        for (int t = 0; t < context; t++) {
            weighted |= weights[t0 + t] != 1f;
        }
        if (!weighted) {
            return;
        }
        int base = t0 * width;
        int len = context * width;
        double before = 0;
        for (int i = 0; i < len; i++) {
            before += hidden[base + i];
        }
        double after = 0;
        for (int t = 0; t < context; t++) {
            float w = weights[t0 + t];
            int off = base + t * width;
            for (int d = 0; d < width; d++) {
                hidden[off + d] *= w;
                after += hidden[off + d];
            }
        }
        if (after == 0) {
            return;
        }
        float rescale = (float) (before / after);
        for (int i = 0; i < len; i++) {
            hidden[base + i] *= rescale;
        }
    }
}
