package io.sweepfarm.engine;

import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextStates;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one U-Net batch and their text conditioning: the unconditional rows of the guided images first, then
 * the conditional rows of all images (diffusers' order), each image with its own guidance scale; images with a scale
 * ≤ 1 use the conditional prediction alone and cost one row. For SDXL also the pooled embeddings and the
 * {@code time_ids} of every row.
 *
 * @param guided  indexes of the guided images, in row order
 * @param scales  guidance scale per image
 * @param context text hidden states [rows, sequence, width]
 * @param pooled  SDXL: pooled text embeddings [rows, width], else null
 * @param timeIds SDXL: micro-conditioning [rows, 6 or 5], else null
 */
record Rows(int[] guided, float[] scales, TextStates context, float[] pooled, float[] timeIds) {

    /** Number of U-Net rows. */
    int count() {
        return guided.length + scales.length;
    }

    /**
     * Encodes the rows of {@code stage} for {@code requests}, with the micro-conditioning of a render of
     * {@code width × height}.
     *
     * @param tokens per request, its prompt's and its negative prompt's tokens for this stage
     */
    static Rows encode(Stage stage, List<ImageRequest> requests, List<List<TextConditioner.Tokens>> tokens,
            int width, int height) {
        List<Integer> guided = new ArrayList<>();
        float[] scales = new float[requests.size()];
        for (int k = 0; k < requests.size(); k++) {
            scales[k] = (float) requests.get(k).cfgScale();
            if (requests.get(k).guided()) {
                guided.add(k);
            }
        }
        int rows = guided.size() + requests.size();
        List<TextConditioner.Tokens> rowTokens = new ArrayList<>(rows);
        boolean[] zero = new boolean[rows];
        for (int g = 0; g < guided.size(); g++) {
            int k = guided.get(g);
            rowTokens.add(tokens.get(k).get(1));
            zero[g] = stage.model().forceZerosForEmptyPrompt() && requests.get(k).negativePrompt().isEmpty();
        }
        for (List<TextConditioner.Tokens> t : tokens) {
            rowTokens.add(t.get(0));
        }
        TextConditioner.Encoded e = stage.text().encode(rowTokens, zero);
        float[] timeIds = null;
        if (stage.sdxl()) {
            boolean aesthetic = stage.model().requiresAestheticsScore();
            int w = aesthetic ? 5 : 6;
            timeIds = new float[rows * w];
            for (int r = 0; r < rows; r++) {
                boolean uncond = r < guided.size();
                ImageRequest q = requests.get(uncond ? guided.get(r) : r - guided.size());
                SdxlConditioning c = q.sdxl() != null ? q.sdxl() : SdxlConditioning.defaults(width, height);
                float[] ids = aesthetic
                        ? new float[] {c.originalHeight(), c.originalWidth(), c.cropTop(), c.cropLeft(),
                            (float) (uncond ? c.negativeAestheticScore() : c.aestheticScore())}
                        : new float[] {c.originalHeight(), c.originalWidth(), c.cropTop(), c.cropLeft(),
                            c.targetHeight(), c.targetWidth()};
                System.arraycopy(ids, 0, timeIds, r * w, w);
            }
        }
        return new Rows(guided.stream().mapToInt(Integer::intValue).toArray(), scales,
                TextStates.of(e.context(), rows, e.sequence()), e.pooled(), timeIds);
    }

    /** Whether {@code model} is a family these rows fit (SDXL rows carry pooled embeddings and time ids). */
    static boolean fits(StableDiffusionModel model, Rows rows) {
        return (model.family() != StableDiffusionModel.Family.SD) == (rows.pooled() != null);
    }
}
