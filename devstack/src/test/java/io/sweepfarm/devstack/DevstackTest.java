package io.sweepfarm.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevstackTest {

    @TempDir
    static Path state;
    static Devstack devstack;
    static Endpoints endpoints;

    @BeforeAll
    static void start() {
        devstack = Devstack.start(state, false);
        endpoints = devstack.endpoints();
    }

    @AfterAll
    static void stop() {
        devstack.close();
    }

    @Test
    void postgresAnswersSql() throws Exception {
        try (Connection c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
                ResultSet rs = c.createStatement().executeQuery("select version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL");
        }
    }

    @Test
    void kafkaDeliversWhatWasProduced() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", endpoints.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("devstack-test", "k", "hello")).get();
        }
        p.put("group.id", "devstack-test");
        p.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("devstack-test"));
            String seen = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (var r : records) {
                    seen = r.value();
                }
            }
            assertThat(seen).isEqualTo("hello");
        }
    }

    @Test
    void s3StoresObjectsWithMetadataAndRejectsWrongCredentials() throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket("devstack-test").build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket("devstack-test").build());
        }
        byte[] data = "png bytes".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket("devstack-test").object("a/b.txt")
                .stream(new ByteArrayInputStream(data), data.length, -1).userMetadata(Map.of("seed", "42")).build());
        assertThat(s3.statObject(StatObjectArgs.builder().bucket("devstack-test").object("a/b.txt").build())
                .userMetadata()).containsEntry("seed", "42");
        try (var in = s3.getObject(GetObjectArgs.builder().bucket("devstack-test").object("a/b.txt").build())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        MinioClient wrong = MinioClient.builder().endpoint(endpoints.s3Endpoint()).credentials("x", "y").build();
        assertThatThrownBy(() -> wrong.bucketExists(BucketExistsArgs.builder().bucket("devstack-test").build()))
                .isInstanceOf(io.minio.errors.ErrorResponseException.class);
    }
}
