package io.sweepfarm.worker.lane;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import io.sweepfarm.worker.storage.ImageStore.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One lane: a model pinned to a device, consuming that model's task topic on its own thread.
 *
 * <p>Delivery is at-least-once and crash-safe: for every polled record the lane renders the image, stores the PNG
 * in S3, publishes the {@link RenderResult} and waits for the broker's ack, and only then commits the record's
 * offset. A crash anywhere before the commit redelivers the task; the repeat overwrites the same object key with the
 * same bytes and the coordinator ignores the repeated result. If storage or the result topic fails, the lane seeks
 * back and retries the whole poll after a pause, so nothing is skipped.
 */
public final class TaskLane implements Runnable {

    private static final Logger LOG = Logger.getLogger(TaskLane.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final BatchRenderer batchRenderer;
    private final String topic;
    private final Duration retryBackoff;
    private volatile boolean running = true;

    public TaskLane(String model, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Renderer renderer, ImageStore store, String workerId, int maxBatch, Duration retryBackoff) {
        this.consumer = consumer;
        this.producer = producer;
        this.topic = Topics.tasks(model);
        this.batchRenderer = new BatchRenderer(renderer, store, workerId, maxBatch);
        this.retryBackoff = retryBackoff;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic));
        LOG.infof("lane %s consuming %s", batchRenderer.describe(), topic);
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    processOrRewind(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            LOG.infof("lane %s stopped", batchRenderer.describe());
        }
    }

    private void processOrRewind(ConsumerRecords<String, byte[]> records) {
        try {
            process(records);
        } catch (StorageException | ResultPublishException e) {
            LOG.warnf("lane %s: %s; the %d task(s) of this poll will be retried in %d ms (check S3 and Kafka)",
                    batchRenderer.describe(), e.getMessage(), records.count(), retryBackoff.toMillis());
            rewind(records);
            pause();
        } catch (CommitFailedException e) {
            LOG.warnf("lane %s: offset commit refused after a rebalance (%s); the tasks will be redelivered and "
                    + "their repeated results ignored", batchRenderer.describe(), e.getMessage());
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) throws StorageException, ResultPublishException {
        List<RenderTask> tasks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                tasks.add(Json.fromBytes(r.value(), RenderTask.class));
            } catch (RuntimeException e) {
                LOG.errorf("lane %s: skipping malformed task at %s-%d@%d: %s", batchRenderer.describe(), r.topic(),
                        r.partition(), r.offset(), e.getMessage());
            }
        }
        List<RenderResult> results = batchRenderer.renderAll(tasks);
        publish(results);
        consumer.commitSync(nextOffsets(records));
    }

    private void publish(List<RenderResult> results) throws ResultPublishException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(results.size());
        for (RenderResult r : results) {
            acks.add(producer.send(new ProducerRecord<>(Topics.RESULTS, r.imageId().toString(), Json.toBytes(r))));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (Exception e) {
                throw new ResultPublishException("result of image " + results.get(i).imageId()
                        + " was not acknowledged by Kafka: " + e.getMessage(), e);
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            first.put(tp, records.records(tp).get(0).offset());
        }
        first.forEach(consumer::seek);
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Asks the lane to stop after the batch in hand; safe from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    static final class ResultPublishException extends Exception {
        ResultPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
