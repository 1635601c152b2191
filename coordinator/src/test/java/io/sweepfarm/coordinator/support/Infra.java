package io.sweepfarm.coordinator.support;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Direct access to the devstack PostgreSQL, Kafka and S3 that the application under test uses. */
public final class Infra {

    private static KafkaProducer<String, String> producer;

    private Infra() {
    }

    public static Endpoints endpoints() {
        return DevstackTestResource.endpoints();
    }

    public static long queryLong(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(endpoints().jdbcUrl(), endpoints().dbUser(),
                endpoints().dbPassword()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String queryString(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(endpoints().jdbcUrl(), endpoints().dbUser(),
                endpoints().dbPassword()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many objects the bucket holds. */
    public static long objectCount() {
        return objectCount("");
    }

    /** How many objects the bucket holds under {@code prefix}. */
    public static long objectCount(String prefix) {
        MinioClient s3 = MinioClient.builder().endpoint(endpoints().s3Endpoint())
                .credentials(endpoints().s3AccessKey(), endpoints().s3SecretKey()).build();
        long n = 0;
        for (var item : s3.listObjects(io.minio.ListObjectsArgs.builder().bucket(endpoints().bucket()).prefix(prefix)
                .recursive(true).build())) {
            try {
                item.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            n++;
        }
        return n;
    }

    public static int execute(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(endpoints().jdbcUrl(), endpoints().dbUser(),
                endpoints().dbPassword()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long sweepRows() {
        return queryLong("select count(*) from sweep");
    }

    /** Images of the sweep in {@code state}, as its counters report them. */
    public static long imagesIn(UUID sweepId, String state) {
        return Api.sweep(sweepId).counts().get(io.sweepfarm.common.api.ImageState.valueOf(state));
    }

    /** A consumer that reads the task topic of {@code model} from the beginning. */
    public static TaskReader tasksOf(String model) {
        Properties p = new Properties();
        p.put("bootstrap.servers", endpoints().kafkaBootstrap());
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("allow.auto.create.topics", "true");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.tasks(model)));
        return new TaskReader(consumer);
    }

    /** Accumulates the tasks read so far; {@link #poll()} is meant to be called from an Awaitility condition. */
    public static final class TaskReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<RenderTask> tasks = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();

        TaskReader(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        public List<RenderTask> poll() {
            for (var record : consumer.poll(Duration.ofMillis(200))) {
                keys.add(record.key());
                tasks.add(Json.fromBytes(record.value(), RenderTask.class));
            }
            return tasks;
        }

        public List<String> keys() {
            return keys;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    public static synchronized void sendResult(RenderResult result) {
        if (producer == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", endpoints().kafkaBootstrap());
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(Topics.RESULTS, result.imageId().toString(), Json.toString(result)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends results in one burst, without waiting between them, so the coordinator sees them in batches. */
    public static synchronized void sendResults(List<RenderResult> results) {
        sendResult(results.get(0));
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (RenderResult r : results.subList(1, results.size())) {
            acks.add(producer.send(new ProducerRecord<>(Topics.RESULTS, r.imageId().toString(), Json.toString(r))));
        }
        for (var ack : acks) {
            try {
                ack.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static void putObject(String key, byte[] bytes) {
        MinioClient s3 = MinioClient.builder().endpoint(endpoints().s3Endpoint())
                .credentials(endpoints().s3AccessKey(), endpoints().s3SecretKey()).build();
        try {
            s3.putObject(PutObjectArgs.builder().bucket(endpoints().bucket()).object(key).contentType("image/png")
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean objectExists(String key) {
        MinioClient s3 = MinioClient.builder().endpoint(endpoints().s3Endpoint())
                .credentials(endpoints().s3AccessKey(), endpoints().s3SecretKey()).build();
        try {
            s3.statObject(io.minio.StatObjectArgs.builder().bucket(endpoints().bucket()).object(key).build());
            return true;
        } catch (io.minio.errors.ErrorResponseException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A success result for a task, as a worker would report it. */
    public static RenderResult succeeded(RenderTask task, String sha256) {
        return new RenderResult(task.imageId(), task.sweepId(), task.attempt(), RenderResult.Outcome.SUCCEEDED,
                task.outputKey(), sha256, "test-host/cuda:0", 1234, List.of("prompt truncated"), null,
                java.time.Instant.now());
    }

    /** A worker's report that it skipped a task of a paused (DEFERRED) or cancelled (CANCELLED) sweep. */
    public static RenderResult skipped(RenderTask task, RenderResult.Outcome outcome) {
        return new RenderResult(task.imageId(), task.sweepId(), task.attempt(), outcome, null, null,
                "test-host/cuda:0", 0, null, null, java.time.Instant.now());
    }

    /** The control messages published so far for {@code sweepId}, oldest first. */
    public static List<io.sweepfarm.common.messaging.SweepControl> controlsOf(UUID sweepId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", endpoints().kafkaBootstrap());
        List<io.sweepfarm.common.messaging.SweepControl> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = c.partitionsFor(Topics.CONTROL).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(sweepId.toString())) {
                        out.add(Json.fromBytes(r.value(), io.sweepfarm.common.messaging.SweepControl.class));
                    }
                }
            }
        }
        return out;
    }

    public static RenderResult failed(RenderTask task, String error) {
        return new RenderResult(task.imageId(), task.sweepId(), task.attempt(), RenderResult.Outcome.FAILED, null,
                null, "test-host/cuda:0", 10, null, error, java.time.Instant.now());
    }
}
