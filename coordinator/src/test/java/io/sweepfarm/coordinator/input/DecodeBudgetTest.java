package io.sweepfarm.coordinator.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

    @Test
    void imagesShareTheBudgetAndOneThatDoesNotFitInTimeIsA503WithRetryAfter() {
        DecodeBudget budget = new DecodeBudget(1000, Duration.ofMillis(50));
        try (DecodeBudget.Share a = budget.take(600)) {
            try (DecodeBudget.Share b = budget.take(400)) {
                assertThat(budget.available()).isZero();
                assertThatThrownBy(() -> budget.take(1)).isInstanceOfSatisfying(ProblemException.Unavailable.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.retryAfterSeconds()).isPositive();
                        });
            }
            assertThat(budget.available()).isEqualTo(400);
        }
        assertThat(budget.available()).isEqualTo(1000);
    }

    @Test
    void anImageLargerThanTheWholeBudgetTakesAllOfIt() {
        DecodeBudget budget = new DecodeBudget(1000, Duration.ofMillis(50));
        try (DecodeBudget.Share all = budget.take(5000)) {
            assertThat(budget.available()).isZero();
        }
        assertThat(budget.available()).isEqualTo(1000);
    }
}
