package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class LargeSweepTest {

    @Test
    void aHundredThousandImageSweepIsStoredWholeWithOneRowPerImage() {
        long started = System.nanoTime();
        CreateSweepResponse created = Api.create(aSweep().withPrompts("a", "b", "c", "d")
                .withCfgScales(3.0, 5.0, 7.0, 9.0, 11.0).withSeedRange(0, 5_000));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(created.imageCount()).isEqualTo(100_000);
        assertThat(Infra.queryLong("select count(*) from image where sweep_id = ?", created.id())).isEqualTo(100_000);
        assertThat(Api.sweep(created.id()).counts().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(100_000);
        assertThat(Api.sweep(created.id()).counts()).containsKey(ImageState.PENDING);
        assertThat(Infra.queryLong("select count(distinct ordinal) from image where sweep_id = ?", created.id()))
                .isEqualTo(100_000);
        // Speed is measured by SweepInsertBench, not asserted here.
        System.out.printf("100000-image sweep stored in %d ms%n", took.toMillis());
    }

    @Test
    void promptsWithTabsNewlinesBackslashesAndUnicodeAreStoredExactly() {
        String odd = "a\tb \\N c\\d\nsecond line \r ü 日本 \\";
        CreateSweepResponse created = Api.create(aSweep().withPrompts(odd, "plain").withNegativePrompts("", "\\N"));
        assertThat(Infra.queryLong("select count(*) from image where sweep_id = ? and prompt = ?", created.id(), odd))
                .isEqualTo(2);
        assertThat(Infra.queryLong("select count(*) from image where sweep_id = ? and negative_prompt = ''",
                created.id())).isEqualTo(2);
        assertThat(Infra.queryLong("select count(*) from image where sweep_id = ? and negative_prompt = ?",
                created.id(), "\\N")).isEqualTo(2);
    }
}
