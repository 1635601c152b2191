package io.sweepfarm.worker.lane;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records a lane has polled and not committed yet, per partition in offset order, each with the future that
 * settles when its result is out. A partition's offset may be committed up to (not past) its first record that is
 * not settled, so a slow or retried image holds back only the records after it on its own partition.
 *
 * <p>A record whose future fails was not handled (the lane is stopping, or lost its partition, or a bug): the
 * partition must be read again from it. Lane thread only.
 */
final class PendingOffsets {

    private record Entry(long offset, CompletableFuture<?> settled) {
    }

    /** What {@link #drain()} found: offsets to commit, and partitions to read again from an offset. */
    record Progress(Map<TopicPartition, OffsetAndMetadata> commit, Map<TopicPartition, Long> rewind) {
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> byPartition = new HashMap<>();
    private int size;

    void add(TopicPartition tp, long offset, CompletableFuture<?> settled) {
        byPartition.computeIfAbsent(tp, k -> new ArrayDeque<>()).addLast(new Entry(offset, settled));
        size++;
    }

    /** Records polled and not yet taken out (settled or not). */
    int size() {
        return size;
    }

    /** Records whose result is not out yet (a settled record behind an unsettled one only waits for its commit). */
    int unsettled() {
        int n = 0;
        for (ArrayDeque<Entry> q : byPartition.values()) {
            for (Entry e : q) {
                n += e.settled().isDone() ? 0 : 1;
            }
        }
        return n;
    }

    /** Takes out the settled head of each partition; a failed record drops its partition's records from it on. */
    Progress drain() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (var it = byPartition.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            ArrayDeque<Entry> q = e.getValue();
            while (!q.isEmpty() && q.peekFirst().settled().isDone()) {
                Entry head = q.peekFirst();
                if (head.settled().isCompletedExceptionally()) {
                    rewind.put(e.getKey(), head.offset());
                    size -= q.size();
                    q.clear();
                    break;
                }
                q.removeFirst();
                size--;
                commit.put(e.getKey(), new OffsetAndMetadata(head.offset() + 1));
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        return new Progress(commit, rewind);
    }

    /** Forgets the records of partitions this lane no longer owns. */
    void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            ArrayDeque<Entry> q = byPartition.remove(tp);
            if (q != null) {
                size -= q.size();
            }
        }
    }

    /** Waits until one more pending record settles, at most {@code timeout}. */
    void awaitProgress(Duration timeout) {
        CompletableFuture<?>[] unsettled = byPartition.values().stream().flatMap(ArrayDeque::stream)
                .map(Entry::settled).filter(f -> !f.isDone()).toArray(CompletableFuture[]::new);
        if (unsettled.length == 0) {
            return;
        }
        try {
            CompletableFuture.anyOf(unsettled).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // settled by failing, or still waiting
        }
    }

    /** Settles when every pending record has settled, one way or the other. */
    CompletableFuture<Void> all() {
        return CompletableFuture.allOf(byPartition.values().stream().flatMap(ArrayDeque::stream)
                .map(e -> e.settled().handle((v, t) -> null)).toArray(CompletableFuture[]::new));
    }
}
