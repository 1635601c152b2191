package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleFromTheFirstUpToTheCapAndStayThere() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterDrawsEachPauseAroundItsNominalValueNeverAboveTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(4000), 0.2);
        long distinct = java.util.stream.IntStream.range(0, 200).mapToObj(i -> b.delay(2)).distinct().count();
        for (int i = 0; i < 200; i++) {
            assertThat(b.delay(2).toMillis()).isBetween(1600L, 2400L);
            assertThat(b.delay(10).toMillis()).isBetween(3200L, 4000L);
        }
        assertThat(distinct).isGreaterThan(10);
        assertThat(b.nominal(2)).isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void aCapBelowTheFirstPauseOrAJitterOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
