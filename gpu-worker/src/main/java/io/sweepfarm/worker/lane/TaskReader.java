package io.sweepfarm.worker.lane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Reads task records. A record that is not a task but still names its image and sweep gets a FAILED result saying
 * which field is wrong (never quoting the content: it is user text); one that does not is skipped with an error log.
 */
final class TaskReader {

    private static final Logger LOG = Logger.getLogger(TaskReader.class);

    /** A record read: its task, or else the FAILED result to report for it (both null: nothing to report). */
    record Read(RenderTask task, RenderResult failure) {
    }

    private TaskReader() {
    }

    static Read read(ConsumerRecord<String, byte[]> r, String workerId) {
        String problem;
        try {
            RenderTask t = Json.MAPPER.readValue(r.value(), RenderTask.class);
            if (t.imageId() != null && t.sweepId() != null && t.outputKey() != null) {
                return new Read(t, null);
            }
            problem = "the task message lacks image_id, sweep_id or output_key";
        } catch (IOException | RuntimeException e) {
            problem = "the task message cannot be read: " + problemOf(e);
        }
        RenderResult failure = failureFor(r, workerId, problem);
        if (failure == null) {
            LOG.errorf("skipping an unreadable task at %s-%d@%d (%s); it names no image to report on", r.topic(),
                    r.partition(), r.offset(), problem);
        }
        return new Read(null, failure);
    }

    /** The kind of problem and the field it is in, without the offending value. */
    private static String problemOf(Exception e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                    : "[" + ref.getIndex() + "]").collect(Collectors.joining("."));
            return "field '" + LogText.safe(path) + "' is invalid (" + e.getClass().getSimpleName() + ")";
        }
        if (e instanceof JsonProcessingException) {
            return "not valid JSON (" + e.getClass().getSimpleName() + ")";
        }
        return e.getClass().getSimpleName();
    }

    private static RenderResult failureFor(ConsumerRecord<String, byte[]> r, String workerId, String problem) {
        try {
            JsonNode node = Json.MAPPER.readTree(r.value());
            if (node == null || !node.isObject()) {
                return null;
            }
            UUID image = UUID.fromString(node.path("image_id").asText());
            UUID sweep = UUID.fromString(node.path("sweep_id").asText());
            int attempt = node.path("attempt").canConvertToInt() ? node.path("attempt").asInt(1) : 1;
            return new RenderResult(image, sweep, attempt, RenderResult.Outcome.FAILED, null, null, workerId, 0,
                    List.of(), problem, Instant.now());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
