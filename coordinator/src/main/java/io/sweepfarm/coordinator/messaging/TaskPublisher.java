package io.sweepfarm.coordinator.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.KafkaClients;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@link RenderTask}s to their model's topic ({@link Topics#tasks}) keyed by image id, and waits for the
 * broker's acknowledgements.
 *
 * <p>A plain {@link KafkaProducer} rather than a SmallRye {@code Emitter}: the topic is chosen per message (one per
 * model), and the relay must block on the acks of a whole round before it closes the round's outbox row,
 * which is a direct {@code Future.get} here rather than a reactive pipeline with per-message metadata. The producer waits for {@code acks=all}, is thread-safe and
 * shared; it is closed at shutdown.
 */
@ApplicationScoped
public class TaskPublisher {

    /** Every {@code kafka.*} setting (TLS, SASL, {@code max.request.size}...), which the producer starts from. */
    @Inject
    @io.smallrye.common.annotation.Identifier("default-kafka-broker")
    java.util.Map<String, Object> kafka;

    @Inject
    CoordinatorConfig config;

    private volatile KafkaProducer<String, byte[]> producer;

    /** A task the broker refused for good (too large, invalid topic...): retrying it can only fail again. */
    public record Refusal(RenderTask task, String reason) {
    }

    /**
     * Sends every task and returns once all are acknowledged by the broker, except those Kafka refuses for good,
     * which are returned so that the relay fails those images alone. Throws if a send fails for a reason that may
     * pass (broker unreachable, timeout) or the acknowledgements do not arrive within
     * {@code sweepfarm.coordinator.publish-timeout}; some tasks may then be on the topic anyway, which is harmless:
     * tasks are idempotent and will be sent again.
     */
    public List<Refusal> publishAll(List<RenderTask> tasks) throws PublishException {
        return await(send(tasks));
    }

    /** Tasks handed to the producer; {@link #await} waits for their acknowledgements. */
    public record Sent(List<RenderTask> tasks, List<Future<RecordMetadata>> acks, long deadlineNanos) {
    }

    /**
     * Hands every task to the producer without waiting for the broker, so that the relay can prepare its next round
     * meanwhile; the publish timeout starts now.
     */
    public Sent send(List<RenderTask> tasks) {
        KafkaProducer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(tasks.size());
        String model = null;
        String topic = null;
        for (RenderTask task : tasks) {
            if (!task.model().equals(model)) { // a round is one model's: its topic name is derived once
                model = task.model();
                topic = Topics.tasks(model);
            }
            acks.add(p.send(new ProducerRecord<>(topic, task.imageId().toString(), Json.toBytes(task))));
        }
        return new Sent(tasks, acks, System.nanoTime() + config.publishTimeout().toNanos());
    }

    /** Waits for the acknowledgements of {@link #send}: the refusals, or a throw as {@link #publishAll} says. */
    public List<Refusal> await(Sent sent) throws PublishException {
        List<RenderTask> tasks = sent.tasks();
        List<Future<RecordMetadata>> acks = sent.acks();
        List<Refusal> refused = new ArrayList<>();
        try {
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get(Math.max(0, sent.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (!KafkaFailures.isPermanent(e.getCause())) {
                        throw new PublishException("Kafka did not take a task: " + e.getCause().getMessage(),
                                e.getCause());
                    }
                    refused.add(new Refusal(tasks.get(i), "Kafka refused the task ("
                            + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")"));
                }
            }
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge " + tasks.size() + " tasks within "
                    + config.publishTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        }
        return refused;
    }

    /** The coordinator's one producer ({@code acks=all}), shared with {@link ControlPublisher}. */
    KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    // Not idempotent on purpose: tasks are (a repeat is harmless), their order within a partition does
                    // not matter, and an idempotent producer can wedge a partition on an OutOfOrderSequence error
                    // when the broker moves a new topic's leadership under it (seen with auto-created topics).
                    var props = KafkaClients.settings(kafka, java.util.Map.of(
                            ProducerConfig.CLIENT_ID_CONFIG, "sweepfarm-coordinator-tasks",
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                            ProducerConfig.LINGER_MS_CONFIG, "5",
                            ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.publishTimeout().toMillis())));
                    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    void onStop(@Observes ShutdownEvent event) {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Publishing a batch failed; the relay puts its round back, for the model's next round to take over. */
    public static class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
