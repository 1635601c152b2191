package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextEncoder;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDXL text conditioning as diffusers' {@code encode_prompt} builds it, on the tiny SDXL model. */
class TextConditionerTest {

    @TempDir
    Path dir;

    @Test
    void sdxlConcatenatesBothPenultimateLayersPoolsFromTheSecondAndZeroesFlaggedRows() throws Exception {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL).build());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            TextConditioner text = Stage.of(m).text();
            List<TextConditioner.Tokens> tokens = text.tokenize(List.of("a red fox", ""), PromptOverflow.TRUNCATE);
            TextConditioner.Encoded e = text.encode(tokens, new boolean[] {false, true});
            assertThat(e.sequence()).isEqualTo(77);
            assertThat(e.context()).hasSize(2 * 77 * 80);
            assertThat(e.pooled()).hasSize(2 * 48);
            TextEncoder.Encoded a = m.textEncoder().encodePenultimate(tokens.get(0).first().ids(), 1, 77);
            TextEncoder.Encoded b = m.textEncoder2().encodePenultimate(tokens.get(0).second().ids(), 1, 77);
            for (int tok : new int[] {0, 5, 76}) {
                assertThat(Arrays.copyOfRange(e.context(), tok * 80, tok * 80 + 32))
                        .containsExactly(Arrays.copyOfRange(a.hidden(), tok * 32, tok * 32 + 32));
                assertThat(Arrays.copyOfRange(e.context(), tok * 80 + 32, tok * 80 + 80))
                        .containsExactly(Arrays.copyOfRange(b.hidden(), tok * 48, tok * 48 + 48));
            }
            assertThat(Arrays.copyOf(e.pooled(), 48)).containsExactly(b.pooled());
            float[] zeroRow = Arrays.copyOfRange(e.context(), 77 * 80, 2 * 77 * 80);
            assertThat(zeroRow).containsOnly(0f);
            assertThat(Arrays.copyOfRange(e.pooled(), 48, 96)).containsOnly(0f);
        }
    }

    @Test
    void theSecondTokenizerPadsWithAnExclamationMarkAsOpenClipDoes() throws Exception {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL).build());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            TextConditioner.Tokens t = Stage.of(m).text().tokenize(List.of("a fox"), PromptOverflow.TRUNCATE).get(0);
            assertThat(t.first().ids()[76]).isNotEqualTo(t.second().ids()[76]);
            assertThat(Arrays.copyOf(t.first().ids(), 4)).containsExactly(Arrays.copyOf(t.second().ids(), 4));
        }
    }
}
