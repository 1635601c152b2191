package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.messaging.Topics;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SweepControlsTest {

    private static long offset;

    private static ConsumerRecord<String, byte[]> record(UUID sweep, SweepState state, Instant at) {
        return new ConsumerRecord<>(Topics.CONTROL, 0, offset++, sweep.toString(),
                Json.toBytes(new SweepControl(sweep, state, at)));
    }

    @Test
    void theNewestAnnouncementWinsEvenWhenAnOlderOneArrivesLater() {
        SweepControls controls = Lanes.controls("unused:9092", Topics.CONTROL);
        UUID sweep = UUID.randomUUID();
        Instant paused = Instant.parse("2026-11-25T10:00:00Z");
        Instant resumed = paused.plusSeconds(5);
        controls.apply(record(sweep, SweepState.PAUSED, paused));
        assertThat(controls.stateOf(sweep)).isEqualTo(SweepState.PAUSED);
        controls.apply(record(sweep, SweepState.RUNNING, resumed));
        // A re-announcement of the pause, read before the resume committed, arrives after it: ignored.
        controls.apply(record(sweep, SweepState.PAUSED, paused));
        assertThat(controls.stateOf(sweep)).isEqualTo(SweepState.RUNNING);
        controls.apply(record(sweep, SweepState.CANCELLED, resumed.plusSeconds(1)));
        assertThat(controls.stateOf(sweep)).isEqualTo(SweepState.CANCELLED);
        assertThat(controls.stateOf(UUID.randomUUID())).isNull();
    }

    @Test
    void aTombstoneForgetsTheSweepAndAMalformedMessageIsIgnored() {
        SweepControls controls = Lanes.controls("unused:9092", Topics.CONTROL);
        UUID sweep = UUID.randomUUID();
        controls.apply(record(sweep, SweepState.PAUSED, Instant.now()));
        controls.apply(new ConsumerRecord<>(Topics.CONTROL, 0, offset++, "not-a-uuid", new byte[] {1}));
        assertThat(controls.stateOf(sweep)).isEqualTo(SweepState.PAUSED);
        controls.apply(new ConsumerRecord<>(Topics.CONTROL, 0, offset++, sweep.toString(), null));
        assertThat(controls.stateOf(sweep)).isNull();
    }
}
