package io.sweepfarm.engine;

import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextEncoder;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import io.sweepfarm.engine.tokenizer.TokenizedPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * Text conditioning of one model: tokenizes prompts with the model's tokenizer(s), runs the text encoder(s) and
 * applies AUTOMATIC1111's emphasis weights.
 *
 * <p>SD 1.x/2.x: the encoder's {@code last_hidden_state}. SDXL: the penultimate layer of both encoders,
 * concatenated along the width (CLIP ViT-L's 768 then OpenCLIP bigG's 1280), and the pooled {@code text_embeds} of
 * the second; the refiner has only the second. A prompt of several 77-token chunks is encoded chunk by chunk and
 * concatenated along the sequence axis; its pooled embedding is the first chunk's, as A1111 does. Rows flagged as
 * zero (diffusers' {@code force_zeros_for_empty_prompt}: an empty negative prompt on SDXL) are all zeros, pooled
 * included.
 *
 * <p>Emphasis multiplies each token's hidden vector (per encoder, before concatenation, as A1111 hijacks each
 * encoder) by its weight and then rescales the chunk so its mean is unchanged; unlike A1111 the mean is taken per
 * chunk rather than over the whole batch, so a prompt's conditioning never depends on its neighbours in a batch.
 * Thread-safe as its encoders are.
 */
final class TextConditioner {

    private final StableDiffusionModel.Family family;
    private final TextEncoder firstEncoder;
    private final TextEncoder secondEncoder;
    private final PromptTokenizer first;
    private final PromptTokenizer second;

    /**
     * @param firstEncoder  {@code text_encoder} (null for the refiner)
     * @param secondEncoder {@code text_encoder_2} (null for SD 1.x/2.x)
     * @param first         tokenizer of {@code text_encoder} (null for the refiner)
     * @param second        tokenizer of {@code text_encoder_2} (null for SD 1.x/2.x)
     */
    TextConditioner(StableDiffusionModel.Family family, TextEncoder firstEncoder, TextEncoder secondEncoder,
            PromptTokenizer first, PromptTokenizer second) {
        this.family = family;
        this.firstEncoder = firstEncoder;
        this.secondEncoder = secondEncoder;
        this.first = first;
        this.second = second;
    }

    /** The same tokenizers over other encoders (LoRA-patched ones). */
    TextConditioner withEncoders(TextEncoder firstEncoder, TextEncoder secondEncoder) {
        return new TextConditioner(family, firstEncoder, secondEncoder, first, second);
    }

    /** A prompt as token rows for every encoder of the model (equal chunk counts). */
    record Tokens(TokenizedPrompt first, TokenizedPrompt second) {

        int chunks() {
            return (first != null ? first : second).chunks();
        }

        List<String> warnings() {
            return (first != null ? first : second).warnings();
        }
    }

    /** Tokenizes prompts (e.g. a prompt and its negative), padded to one chunk count for all of them. */
    List<Tokens> tokenize(List<String> prompts, PromptOverflow mode) {
        List<TokenizedPrompt> a = first == null ? null : first.tokenizeAll(prompts, mode);
        List<TokenizedPrompt> b = second == null ? null : second.tokenizeAll(prompts, mode);
        if (a != null && b != null && a.get(0).chunks() != b.get(0).chunks()) {
            int chunks = Math.max(a.get(0).chunks(), b.get(0).chunks());
            a = a.stream().map(t -> first.padToChunks(t, chunks)).toList();
            b = b.stream().map(t -> second.padToChunks(t, chunks)).toList();
        }
        List<Tokens> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(new Tokens(a == null ? null : a.get(i), b == null ? null : b.get(i)));
        }
        return out;
    }

    /**
     * Conditioning for U-Net rows.
     *
     * @param context hidden states [rows, chunks·77, width]
     * @param pooled  SDXL's pooled text embeddings [rows, width], else null
     */
    record Encoded(float[] context, int sequence, float[] pooled) {
    }

    /** Encodes rows that all have the same chunk count; {@code zero[r]} makes row r zeros. */
    Encoded encode(List<Tokens> rows, boolean[] zero) {
        int chunks = rows.get(0).chunks();
        int context = 77;
        int n = rows.size();
        for (Tokens t : rows) {
            if (t.chunks() != chunks) {
                throw new IllegalArgumentException("prompts of one U-Net batch must have equal chunk counts");
            }
        }
        Part a = first == null ? null : run(firstEncoder, rows.stream().map(Tokens::first).toList(),
                family != StableDiffusionModel.Family.SD);
        Part b = second == null ? null : run(secondEncoder, rows.stream().map(Tokens::second).toList(), true);
        int width = (a == null ? 0 : a.width) + (b == null ? 0 : b.width);
        int seq = chunks * context;
        float[] out = new float[n * seq * width];
        for (int r = 0; r < n; r++) {
            for (int tok = 0; tok < seq; tok++) {
                int dst = (r * seq + tok) * width;
                int src = r * seq + tok;
                if (a != null) {
                    System.arraycopy(a.hidden, src * a.width, out, dst, a.width);
                }
                if (b != null) {
                    System.arraycopy(b.hidden, src * b.width, out, dst + (a == null ? 0 : a.width), b.width);
                }
            }
        }
        float[] pooled = null;
        if (b != null) {
            int p = b.pooledWidth;
            pooled = new float[n * p];
            for (int r = 0; r < n; r++) {
                System.arraycopy(b.pooled, r * chunks * p, pooled, r * p, p);
            }
        }
        for (int r = 0; r < n; r++) {
            if (zero[r]) {
                java.util.Arrays.fill(out, r * seq * width, (r + 1) * seq * width, 0f);
                if (pooled != null) {
                    int p = pooled.length / n;
                    java.util.Arrays.fill(pooled, r * p, (r + 1) * p, 0f);
                }
            }
        }
        return new Encoded(out, seq, pooled);
    }

    /** One encoder's output for all chunk rows: hidden [rows·chunks, 77, width] with emphasis applied. */
    private record Part(float[] hidden, int width, float[] pooled, int pooledWidth) {
    }

    private static Part run(TextEncoder encoder, List<TokenizedPrompt> prompts, boolean penultimate) {
        int chunks = prompts.get(0).chunks();
        int context = prompts.get(0).contextLength();
        int rows = prompts.size() * chunks;
        int[] ids = new int[rows * context];
        float[] weights = new float[rows * context];
        for (int p = 0; p < prompts.size(); p++) {
            TokenizedPrompt tp = prompts.get(p);
            System.arraycopy(tp.ids(), 0, ids, p * chunks * context, chunks * context);
            System.arraycopy(tp.weights(), 0, weights, p * chunks * context, chunks * context);
        }
        float[] hidden;
        float[] pooled = null;
        int pooledWidth = 0;
        if (penultimate) {
            TextEncoder.Encoded e = encoder.encodePenultimate(ids, rows, context);
            hidden = e.hidden();
            pooled = e.pooled();
            pooledWidth = e.pooledWidth();
        } else {
            hidden = encoder.encode(ids, rows, context);
        }
        int width = hidden.length / (rows * context);
        for (int r = 0; r < rows; r++) {
            applyEmphasis(hidden, weights, r, context, width);
        }
        return new Part(hidden, width, pooled, pooledWidth);
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
