package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.worker.lane.Failures.Verdict;
import io.sweepfarm.worker.storage.StorageException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aRecordKafkaWillNeverTakeIsPermanentWhileUnavailabilityIsAnOutage() {
        assertThat(Failures.of(new ExecutionException(new RecordTooLargeException("too big"))))
                .isEqualTo(Verdict.PERMANENT);
        assertThat(Failures.of(new TimeoutException("expired"))).isEqualTo(Verdict.OUTAGE);
        assertThat(Failures.of(new NotEnoughReplicasException("isr"))).isEqualTo(Verdict.OUTAGE);
        assertThat(Failures.of(new TopicAuthorizationException("acl"))).isEqualTo(Verdict.OUTAGE);
        assertThat(Failures.of(new UnknownServerException("?"))).isEqualTo(Verdict.UNCERTAIN);
        assertThat(Failures.of(new KafkaException("?"))).isEqualTo(Verdict.UNCERTAIN);
    }

    @Test
    void storageFailuresKeepTheirKindThroughFutureWrappers() {
        StorageException refused = new StorageException("no", StorageException.Kind.REFUSED, "InvalidURI", null);
        assertThat(Failures.of(new CompletionException(refused))).isEqualTo(Verdict.PERMANENT);
        assertThat(Failures.of(new StorageException("down", StorageException.Kind.UNAVAILABLE, "x", null)))
                .isEqualTo(Verdict.OUTAGE);
        assertThat(Failures.of(new StorageException("500", StorageException.Kind.SERVER_FAULT, "x", null)))
                .isEqualTo(Verdict.FAULT);
        assertThat(Failures.of(new ConnectException("refused"))).isEqualTo(Verdict.OUTAGE);
        assertThat(Failures.of(new IllegalStateException("bug"))).isEqualTo(Verdict.UNCERTAIN);
    }

    @Test
    void aDescriptionNamesTheFailureAndEscapesWhatItQuotes() {
        assertThat(Failures.describe(new ExecutionException(new IllegalArgumentException("bad\nline"))))
                .isEqualTo("IllegalArgumentException: bad\\nline");
    }
}
