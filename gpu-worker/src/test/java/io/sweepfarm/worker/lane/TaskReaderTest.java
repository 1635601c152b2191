package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TaskReaderTest {

    private static ConsumerRecord<String, byte[]> record(String json) {
        return new ConsumerRecord<>("t", 0, 1, "k", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTaskIsRead() {
        RenderTask t = Tasks.aTask("m", UUID.randomUUID(), 3);
        TaskReader.Read read = TaskReader.read(record(Json.toString(t)), "w");
        assertThat(read.task()).isEqualTo(t);
        assertThat(read.failure()).isNull();
    }

    @Test
    void aTaskWithAFieldOfTheWrongTypeFailsNamingTheFieldButNotItsValue() {
        RenderTask t = Tasks.aTask("m", UUID.randomUUID(), 3);
        String json = Json.toString(t).replace("\"steps\":2", "\"steps\":\"secret prompt text\"");
        TaskReader.Read read = TaskReader.read(record(json), "w");
        assertThat(read.task()).isNull();
        assertThat(read.failure().outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(read.failure().imageId()).isEqualTo(t.imageId());
        assertThat(read.failure().sweepId()).isEqualTo(t.sweepId());
        assertThat(read.failure().error()).contains("'steps'").doesNotContain("secret");
    }

    @Test
    void aRecordThatNamesNoImageIsSkipped() {
        for (String junk : new String[] {"not json at all", "{\"image_id\":\"nope\"}", "[1,2]", null}) {
            TaskReader.Read read = TaskReader.read(record(junk), "w");
            assertThat(read.task()).isNull();
            assertThat(read.failure()).isNull();
        }
    }
}
