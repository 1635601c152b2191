package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.worker.lane.Attempts.Outcome;
import io.sweepfarm.worker.lane.Failures.Verdict;
import org.junit.jupiter.api.Test;

class AttemptsTest {

    @Test
    void anOutageNeverUsesUpTheAttempts() {
        Attempts a = new Attempts(3);
        for (int i = 0; i < 100; i++) {
            assertThat(a.failed(Verdict.OUTAGE, i, () -> true)).isEqualTo(Outcome.OUTAGE);
        }
        assertThat(a.counted()).isZero();
    }

    @Test
    void uncertainFailuresGiveUpAfterMaxAttempts() {
        Attempts a = new Attempts(3);
        assertThat(a.failed(Verdict.UNCERTAIN, 0, () -> false)).isEqualTo(Outcome.RETRY);
        assertThat(a.failed(Verdict.UNCERTAIN, 0, () -> false)).isEqualTo(Outcome.RETRY);
        assertThat(a.failed(Verdict.UNCERTAIN, 0, () -> false)).isEqualTo(Outcome.GIVE_UP);
    }

    @Test
    void aFaultWhileTheDependencyFailsForEveryoneIsAnOutage() {
        Attempts a = new Attempts(2);
        for (int i = 0; i < 50; i++) {
            assertThat(a.failed(Verdict.FAULT, 7, () -> false)).isEqualTo(Outcome.OUTAGE);
        }
    }

    @Test
    void aFaultWhileOthersSucceedOrTheProbeAnswersCountsAndGivesUpAfterTwiceMax() {
        Attempts byOthers = new Attempts(2);
        assertThat(byOthers.failed(Verdict.FAULT, 1, () -> false)).isEqualTo(Outcome.OUTAGE); // nothing to compare
        assertThat(byOthers.failed(Verdict.FAULT, 5, () -> false)).isEqualTo(Outcome.RETRY);
        assertThat(byOthers.failed(Verdict.FAULT, 9, () -> false)).isEqualTo(Outcome.RETRY);
        assertThat(byOthers.failed(Verdict.FAULT, 9, () -> false)).isEqualTo(Outcome.OUTAGE); // none since
        assertThat(byOthers.failed(Verdict.FAULT, 12, () -> false)).isEqualTo(Outcome.RETRY);
        assertThat(byOthers.failed(Verdict.FAULT, 13, () -> false)).isEqualTo(Outcome.GIVE_UP);

        Attempts byProbe = new Attempts(1);
        assertThat(byProbe.failed(Verdict.FAULT, 0, () -> true)).isEqualTo(Outcome.RETRY);
        assertThat(byProbe.counted()).isOne();
        assertThat(byProbe.failed(Verdict.FAULT, 0, () -> true)).isEqualTo(Outcome.GIVE_UP);
    }
}
