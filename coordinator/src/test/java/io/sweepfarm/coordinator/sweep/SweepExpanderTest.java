package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.coordinator.sweep.SweepExpander.ImageParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepExpanderTest {

    private static final String KEY_A = "inputs/" + "a".repeat(64) + ".png";
    private static final String KEY_B = "inputs/" + "b".repeat(64) + ".png";


    private static SweepSpec spec(io.sweepfarm.coordinator.support.Sweeps sweep) {
        return new SweepValidator(2_000_000).validate(sweep.build());
    }

    @Test
    void theImageCountIsTheProductOfTheAxisSizes() {
        SweepExpander e = new SweepExpander(spec(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0, 9.0)
                .withSteps(10, 20).withSamplers("euler", "ddim").withSeeds(1L, 2L, 3L, 4L)));
        assertThat(e.count()).isEqualTo(2 * 3 * 2 * 2 * 4);
    }

    @Test
    void seedsVaryFastestAndPromptsSlowest() {
        SweepExpander e = new SweepExpander(spec(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0)
                .withSeeds(1L, 2L)));
        assertThat(e.at(0)).extracting(ImageParams::prompt, ImageParams::cfgScale, ImageParams::seed)
                .containsExactly("a", 5.0, 1L);
        assertThat(e.at(1)).extracting(ImageParams::prompt, ImageParams::cfgScale, ImageParams::seed)
                .containsExactly("a", 5.0, 2L);
        assertThat(e.at(2)).extracting(ImageParams::prompt, ImageParams::cfgScale, ImageParams::seed)
                .containsExactly("a", 7.0, 1L);
        assertThat(e.at(4)).extracting(ImageParams::prompt, ImageParams::cfgScale, ImageParams::seed)
                .containsExactly("b", 5.0, 1L);
        assertThat(e.at(7)).extracting(ImageParams::prompt, ImageParams::cfgScale, ImageParams::seed)
                .containsExactly("b", 7.0, 2L);
    }

    @Test
    void everyCombinationAppearsExactlyOnce() {
        SweepExpander e = new SweepExpander(spec(aSweep().withPrompts("a", "b", "c").withNegativePrompts("x", "y")
                .withCfgScales(1.0, 2.0).withSteps(5, 6, 7).withSamplers("euler", "ddim").withSeeds(0L, 9L)));
        Set<List<Object>> seen = new HashSet<>();
        for (long k = 0; k < e.count(); k++) {
            ImageParams p = e.at(k);
            assertThat(p.ordinal()).isEqualTo(k);
            seen.add(List.of(p.prompt(), p.negativePrompt(), p.cfgScale(), p.steps(), p.sampler(), p.seed()));
        }
        assertThat(seen).hasSize((int) e.count());
    }

    @Test
    void anImageOfAMillionImageSweepIsComputedWithoutExpandingTheRest() {
        SweepExpander e = new SweepExpander(spec(aSweep().withPrompts("a", "b").withSeedRange(0, 500_000)));
        assertThat(e.count()).isEqualTo(1_000_000);
        ImageParams last = e.at(999_999);
        assertThat(last.prompt()).isEqualTo("b");
        assertThat(last.seed()).isEqualTo(499_999L);
    }

    @Test
    void absentOptionalAxesExpandToOneTxt2imgValue() {
        SweepExpander e = new SweepExpander(spec(aSweep()));
        ImageParams p = e.at(0);
        assertThat(p.negativePrompt()).isEmpty();
        assertThat(p.initImage()).isNull();
        assertThat(p.strength()).isNull();
        assertThat(p.noiseSource()).isEqualTo("torch_cpu");
        assertThat(p.promptOverflow()).isEqualTo("TRUNCATE");
    }

    @Test
    void img2imgAxesMultiplyTheSweep() {
        SweepExpander e = new SweepExpander(spec(aSweep().withInitImages(KEY_A, KEY_B)
                .withStrengths(0.5, 0.75, 1.0)));
        assertThat(e.count()).isEqualTo(6);
        assertThat(e.at(5)).extracting(ImageParams::initImage, ImageParams::strength)
                .containsExactly(KEY_B, 1.0);
    }

    @Test
    void anOrdinalOutsideTheSweepIsRejected() {
        SweepExpander e = new SweepExpander(spec(aSweep()));
        assertThatThrownBy(() -> e.at(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> e.at(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
