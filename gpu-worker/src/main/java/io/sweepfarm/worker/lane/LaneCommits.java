package io.sweepfarm.worker.lane;

import io.sweepfarm.worker.lane.Outages.Dependency;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The offsets a lane has finished and not yet committed, and how they are committed: routinely without blocking the
 * lane (one asynchronous commit at a time; what settles meanwhile goes with the next), synchronously for partitions
 * being revoked and when the lane stops. A commit refused because the group is rebalancing puts its offsets back for
 * after the rebalance; one failed for an outage, for after a pause. Only partitions the lane owns are committed.
 * Lane thread only (commit callbacks run within consumer calls on that thread).
 */
final class LaneCommits {

    private static final Logger LOG = Logger.getLogger(LaneCommits.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<TopicPartition> owned;
    private final Outages outages;
    private final Backoff backoff;
    private final String lane;
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    /** The offsets of the asynchronous commit in flight, if any. */
    private Map<TopicPartition, OffsetAndMetadata> committing;
    private int failures;
    private long nextAttemptAt;

    LaneCommits(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> owned, Outages outages, Backoff backoff,
            String lane) {
        this.consumer = consumer;
        this.owned = owned;
        this.outages = outages;
        this.backoff = backoff;
        this.lane = lane;
    }

    /** Takes in next offsets to commit (keeping the highest per partition). */
    void add(Map<TopicPartition, OffsetAndMetadata> next) {
        next.forEach(this::merge);
    }

    private void merge(TopicPartition tp, OffsetAndMetadata next) {
        toCommit.merge(tp, next, (a, b) -> a.offset() >= b.offset() ? a : b);
    }

    /** Starts an asynchronous commit of what is finished, unless one is in flight or an outage pause runs. */
    void commitAsync() {
        toCommit.keySet().retainAll(owned);
        if (toCommit.isEmpty() || committing != null || System.nanoTime() < nextAttemptAt) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(toCommit);
        toCommit.clear();
        committing = offsets;
        long sent = System.nanoTime();
        try {
            consumer.commitAsync(offsets, (done, e) -> committed(offsets, e, sent));
        } catch (WakeupException | InterruptException e) {
            committing = null;
            add(offsets);
            throw e;
        } catch (KafkaException e) {
            committed(offsets, e, sent);
        }
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception e, long sent) {
        if (committing == offsets) {
            committing = null;
        }
        if (e == null) {
            failures = 0;
            outages.succeeded(Dependency.KAFKA);
            return;
        }
        offsets.forEach((tp, next) -> {
            if (owned.contains(tp)) {
                merge(tp, next);
            }
        });
        if (e instanceof RebalanceInProgressException || e instanceof CommitFailedException
                || e instanceof IllegalGenerationException || e instanceof UnknownMemberIdException) {
            // The group is changing: poll completes the rebalance, then the offsets still owned are committed.
            LOG.debugf("lane %s: commit deferred by a rebalance (%s)", lane, e.getClass().getSimpleName());
        } else {
            outages.failed(Dependency.KAFKA, Failures.describe(e), "committing offsets", sent);
            nextAttemptAt = System.nanoTime() + backoff.delay(++failures).toNanos();
        }
    }

    /**
     * Commits, and waits for, what is finished in the partitions of {@code among} that the lane owns (all owned ones
     * if null), including the offsets of an asynchronous commit in flight (sent after it, this one supersedes it).
     */
    void commitNow(Collection<TopicPartition> among, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        if (committing != null) {
            offsets.putAll(committing);
        }
        toCommit.forEach((tp, next) -> offsets.merge(tp, next, (a, b) -> a.offset() >= b.offset() ? a : b));
        offsets.keySet().retainAll(owned);
        if (among != null) {
            offsets.keySet().retainAll(among);
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, timeout);
            offsets.keySet().forEach(toCommit::remove);
        }
    }

    /** Forgets the offsets of partitions the lane no longer owns. */
    void forget(Collection<TopicPartition> partitions) {
        toCommit.keySet().removeAll(partitions);
    }
}
