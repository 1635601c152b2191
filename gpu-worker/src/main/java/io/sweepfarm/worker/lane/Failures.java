package io.sweepfarm.worker.lane;

import io.sweepfarm.worker.storage.StorageException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/** Sorts failures of storing and publishing into what a retry can do about them. */
final class Failures {

    /** What a retry can do. */
    enum Verdict {
        /** Refused for good for this image or record: fail the image (or drop the record) and go on. */
        PERMANENT,
        /** An outage or a setting an operator must fix: wait it out with growing pauses, never drop the work. */
        OUTAGE,
        /** A server fault: an outage if the dependency fails for everyone, else a problem of this object. */
        FAULT,
        /** Unclear: retry a bounded number of times, then fail the image. */
        UNCERTAIN
    }

    private Failures() {
    }

    /** The failure inside executor and future wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    static Verdict of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StorageException s) {
            return switch (s.kind()) {
                case REFUSED -> Verdict.PERMANENT;
                case UNAVAILABLE -> Verdict.OUTAGE;
                case SERVER_FAULT -> Verdict.FAULT;
                case UNCERTAIN -> Verdict.UNCERTAIN;
            };
        }
        if (t instanceof KafkaException k) {
            return ofKafka(k);
        }
        if (t instanceof IOException) {
            return Verdict.OUTAGE;
        }
        return Verdict.UNCERTAIN;
    }

    /**
     * A record the broker or the client will never accept (too large, invalid) is permanent; a retriable error or an
     * authentication/authorization refusal (an operator fixes it for every record) is an outage.
     */
    private static Verdict ofKafka(KafkaException k) {
        if (k instanceof RecordTooLargeException || k instanceof RecordBatchTooLargeException
                || k instanceof InvalidTopicException || k instanceof SerializationException
                || k instanceof InvalidRecordException) {
            return Verdict.PERMANENT;
        }
        if (k instanceof RetriableException || k instanceof AuthenticationException
                || k instanceof AuthorizationException) {
            return Verdict.OUTAGE;
        }
        return Verdict.UNCERTAIN;
    }

    /** A short label of the failure for results and logs: its type and its message, made safe. */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StorageException s) {
            return LogText.safe(s.getMessage());
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + LogText.safe(m));
    }
}
