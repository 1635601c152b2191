package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void aPartitionIsCommittedUpToItsFirstUnsettledRecordOnly() {
        PendingOffsets pending = new PendingOffsets();
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        CompletableFuture<Void> c = new CompletableFuture<>();
        CompletableFuture<Void> other = new CompletableFuture<>();
        pending.add(P0, 10, a);
        pending.add(P0, 11, b);
        pending.add(P0, 12, c);
        pending.add(P1, 3, other);
        b.complete(null);
        c.complete(null);
        other.complete(null);

        PendingOffsets.Progress first = pending.drain();
        assertThat(first.commit()).isEqualTo(Map.of(P1, new OffsetAndMetadata(4)));
        assertThat(pending.size()).isEqualTo(3);

        a.complete(null);
        PendingOffsets.Progress second = pending.drain();
        assertThat(second.commit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));
        assertThat(second.rewind()).isEmpty();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aRecordThatWasNotHandledStopsTheCommitAndRewindsItsPartitionToIt() {
        PendingOffsets pending = new PendingOffsets();
        pending.add(P0, 5, CompletableFuture.completedFuture(null));
        pending.add(P0, 6, CompletableFuture.failedFuture(new Delivery.Abandoned()));
        pending.add(P0, 7, CompletableFuture.completedFuture(null));
        PendingOffsets.Progress p = pending.drain();
        assertThat(p.commit()).isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
        assertThat(p.rewind()).isEqualTo(Map.of(P0, 6L));
        assertThat(pending.size()).isZero();
    }

    @Test
    void forgottenPartitionsAreNeitherCommittedNorAwaited() throws Exception {
        PendingOffsets pending = new PendingOffsets();
        pending.add(P0, 1, new CompletableFuture<>());
        pending.add(P1, 1, CompletableFuture.completedFuture(null));
        pending.forget(List.of(P0));
        assertThat(pending.size()).isEqualTo(1);
        pending.all().get();
        assertThat(pending.drain().commit()).containsOnlyKeys(P1);
    }
}
