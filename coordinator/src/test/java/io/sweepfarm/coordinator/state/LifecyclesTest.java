package io.sweepfarm.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.problem.ProblemException;
import org.junit.jupiter.api.Test;

class LifecyclesTest {

    @Test
    void aRunningSweepCanBePausedCancelledOrCompleted() {
        assertThat(Lifecycles.SWEEP.targetsOf(SweepState.RUNNING))
                .containsExactlyInAnyOrder(SweepState.PAUSED, SweepState.CANCELLED, SweepState.COMPLETED);
    }

    @Test
    void aPausedSweepCanResume() {
        assertThat(Lifecycles.SWEEP.allows(SweepState.PAUSED, SweepState.RUNNING)).isTrue();
    }

    @Test
    void aCancelledSweepIsFinalAndACompletedOneOnlyRunsAgainToRetryItsFailures() {
        for (SweepState target : SweepState.values()) {
            assertThat(Lifecycles.SWEEP.allows(SweepState.CANCELLED, target)).isFalse();
        }
        assertThat(Lifecycles.SWEEP.targetsOf(SweepState.COMPLETED)).containsExactly(SweepState.RUNNING);
    }

    @Test
    void anIllegalTransitionIsAConflictNamingBothStates() {
        assertThatThrownBy(() -> Lifecycles.SWEEP.check(SweepState.CANCELLED, SweepState.RUNNING, "s-1"))
                .isInstanceOf(ProblemException.Conflict.class)
                .hasMessageContaining("CANCELLED").hasMessageContaining("RUNNING")
                .extracting(e -> ((ProblemException) e).status()).isEqualTo(409);
    }

    @Test
    void succeededAndCancelledImagesAreFinalAndAFailedOneOnlyGoesBackToPendingForARetry() {
        assertThat(Lifecycles.IMAGE.targetsOf(ImageState.SUCCEEDED)).isEmpty();
        assertThat(Lifecycles.IMAGE.targetsOf(ImageState.CANCELLED)).isEmpty();
        assertThat(Lifecycles.IMAGE.targetsOf(ImageState.FAILED)).containsExactly(ImageState.PENDING);
    }

    @Test
    void noResultMovesAnImageOutOfFailed() {
        for (ImageState outcome : Lifecycles.FINISHED) {
            assertThat(Lifecycles.IMAGE.sourcesOf(outcome)).doesNotContain(ImageState.FAILED);
        }
    }

    @Test
    void aResultMayArriveForAPendingImageAfterACrashBetweenPublishAndMark() {
        assertThat(Lifecycles.IMAGE.sourcesOf(ImageState.SUCCEEDED))
                .containsExactlyInAnyOrder(ImageState.PENDING, ImageState.QUEUED);
    }

    @Test
    void pendingAndStalledQueuedImagesCanBeCancelled() {
        assertThat(Lifecycles.IMAGE.sourcesOf(ImageState.CANCELLED))
                .containsExactlyInAnyOrder(ImageState.PENDING, ImageState.QUEUED);
    }

    @Test
    void aQueuedTaskMayBeReleasedAgain() {
        assertThat(Lifecycles.IMAGE.sourcesOf(ImageState.QUEUED))
                .containsExactlyInAnyOrder(ImageState.PENDING, ImageState.QUEUED);
    }
}
