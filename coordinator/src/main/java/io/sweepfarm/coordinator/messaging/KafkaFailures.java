package io.sweepfarm.coordinator.messaging;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/** Tells a record Kafka will never take from a failure that may pass. */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /**
     * True for a refusal of this record itself (too large, invalid topic or record, ...): sending it again fails
     * again, so its image fails alone. Retriable errors (timeouts, a leader moving, the broker unreachable) and
     * authentication or authorisation failures (an operator fixes those, and then every record goes through) are not
     * permanent for the record.
     */
    static boolean isPermanent(Throwable e) {
        return e instanceof ApiException && !(e instanceof RetriableException)
                && !(e instanceof AuthenticationException) && !(e instanceof AuthorizationException);
    }
}
