package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.worker.lane.Outages.Dependency;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void anOutageIsCountedUntilASuccessAndTheOtherDependencyIsUnaffected() {
        Outages outages = new Outages();
        outages.failed(Dependency.S3, "Connection refused", "storing PNGs");
        outages.failed(Dependency.S3, "Connection refused", "storing PNGs");
        assertThat(outages.current()).containsOnlyKeys(Dependency.S3);
        assertThat(outages.current().get(Dependency.S3).failures()).isEqualTo(2);
        assertThat(outages.current().get(Dependency.S3).reason()).isEqualTo("Connection refused");
        long before = outages.successes(Dependency.S3);
        outages.succeeded(Dependency.S3);
        assertThat(outages.current()).isEmpty();
        assertThat(outages.successes(Dependency.S3)).isEqualTo(before + 1);
    }

    @Test
    void aFailureOfAnAttemptStartedBeforeTheRecoveryDoesNotStartANewOutage() {
        Outages outages = new Outages();
        long sentDuringTheOutage = System.nanoTime();
        outages.failed(Dependency.KAFKA, "timeout", "committing offsets", sentDuringTheOutage);
        outages.succeeded(Dependency.KAFKA);
        outages.failed(Dependency.KAFKA, "timeout", "committing offsets", sentDuringTheOutage);
        assertThat(outages.current()).isEmpty();
        outages.failed(Dependency.KAFKA, "timeout", "committing offsets", System.nanoTime());
        assertThat(outages.current()).containsOnlyKeys(Dependency.KAFKA);
    }
}
