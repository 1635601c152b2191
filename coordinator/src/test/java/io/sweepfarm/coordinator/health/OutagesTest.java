package io.sweepfarm.coordinator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.sql.SQLException;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void connectionFailuresOfTheDatabaseAreOutagesWhereverTheyAreWrapped() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        assertThat(Outages.classify(new jakarta.persistence.PersistenceException(new RuntimeException(refused))))
                .isEqualTo(Dependency.DATABASE);
        assertThat(Outages.classify(new SQLException("terminating connection due to administrator command",
                "57P01"))).isEqualTo(Dependency.DATABASE);
        assertThat(Outages.classify(new SQLException("Sorry, acquisition timeout!"))).isEqualTo(Dependency.DATABASE);
        assertThat(Outages.classify(new ProblemException.Unavailable("x", "storage", 5)))
                .isEqualTo(Dependency.STORAGE);
    }

    @Test
    void otherDatabaseErrorsAreNotOutagesButAreRecognisedAsTheDatabase() {
        SQLException constraint = new SQLException("duplicate key value", "23505");
        assertThat(Outages.classify(constraint)).isNull();
        assertThat(Outages.involvesDatabase(new RuntimeException(constraint))).isTrue();
        assertThat(Outages.classify(new IllegalStateException("bug"))).isNull();
        assertThat(Outages.involvesDatabase(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void livenessFailsOnlyWhenTheResultsConsumerStopped() {
        assertThat(ResultsConsumerLiveness.check(true, null).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        HealthCheckResponse waiting = ResultsConsumerLiveness.check(true, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(waiting.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(waiting.getData()).isPresent();
        assertThat(ResultsConsumerLiveness.check(false, null).getStatus())
                .isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
