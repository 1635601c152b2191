package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BoundedResultsTest {

    private static RenderResult result(List<String> warnings, String error) {
        return new RenderResult(UUID.randomUUID(), UUID.randomUUID(), 1, RenderResult.Outcome.FAILED, null, null,
                "host/cuda:0", 12, warnings, error, Instant.now());
    }

    @Test
    void aResultWithHugeTextsStaysSmallWhateverTheEngineOrAnExceptionSaid() {
        RenderResult huge = result(Collections.nCopies(10_000, "w".repeat(100_000)), "e\n".repeat(1_000_000));
        RenderResult bounded = BoundedResults.bound(huge);
        assertThat(Json.toBytes(bounded).length).isLessThan(10_000);
        assertThat(bounded.warnings()).hasSize(BoundedResults.MAX_WARNINGS).last().asString().contains("more warnings");
        assertThat(bounded.error()).hasSizeLessThanOrEqualTo(BoundedResults.MAX_ERROR).doesNotContain("\n")
                .endsWith("\u2026");
        assertThat(bounded.imageId()).isEqualTo(huge.imageId());
        assertThat(bounded.outcome()).isEqualTo(huge.outcome());
    }

    @Test
    void aShortResultIsKeptAsItIsAndItsMinimalFormDropsTheWarnings() {
        RenderResult r = result(List.of("prompt truncated to 77 tokens"), "unknown sampler 'x'");
        assertThat(BoundedResults.bound(r)).isEqualTo(r);
        assertThat(BoundedResults.minimal(r).warnings()).isEmpty();
        assertThat(BoundedResults.minimal(r).error()).isEqualTo(r.error());
    }
}
