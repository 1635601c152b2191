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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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

    @Test
    void aDurablePostgresCommitsSynchronouslyWithFsyncAndATestOneDoesNot() throws Exception {
        assertThat(settings(endpoints.jdbcUrl())).containsExactly("off", "off", "off");
        try (PostgresServer durable = PostgresServer.start(state.resolve("durable-pg"), Ports.free(), false, true)) {
            assertThat(settings(durable.jdbcUrl())).containsExactly("on", "on", "on");
        }
    }

    private static List<String> settings(String jdbcUrl) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(jdbcUrl); Statement st = c.createStatement()) {
            for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = st.executeQuery("show " + name)) {
                    rs.next();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, endpoints.dbUser(), endpoints.dbPassword());
    }

    @Test
    void postgresStoppedAndStartedAgainKeepsItsPortAndItsData() throws Exception {
        String url = devstack.endpoints().jdbcUrl();
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute("create table restart_probe (v text)");
            st.execute("insert into restart_probe values ('kept')");
        }
        long pid = devstack.postgres().pid();

        devstack.postgres().stop();
        assertThat(devstack.postgres().isRunning()).isFalse();
        assertThat(Processes.isAlive(pid)).isFalse();
        assertThatThrownBy(() -> connect(url).close()).isInstanceOf(SQLException.class);

        devstack.postgres().start();
        assertThat(devstack.endpoints().jdbcUrl()).isEqualTo(url);
        try (Connection c = connect(url);
                ResultSet rs = c.createStatement().executeQuery("select v from restart_probe")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    @Test
    void kafkaStoppedAndStartedAgainKeepsItsPortRecordsAndCommittedOffsets() throws Exception {
        String topic = "restart-probe";
        Properties p = new Properties();
        p.put("bootstrap.servers", endpoints.kafkaBootstrap());
        p.put("group.id", "restart-probe");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "before")).get();
        }
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            assertThat(pollValues(consumer, 1)).containsExactly("before");
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }
        int port = Integer.parseInt(endpoints.kafkaBootstrap().substring(endpoints.kafkaBootstrap().indexOf(':') + 1));

        devstack.kafka().stop();
        assertThat(devstack.kafka().isRunning()).isFalse();
        assertThat(Ports.isListening(port)).isFalse();

        devstack.kafka().start();
        assertThat(devstack.endpoints().kafkaBootstrap()).isEqualTo(endpoints.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "after")).get();
        }
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            // The committed offset survived: only the record produced after the restart is read.
            assertThat(pollValues(consumer, 1)).containsExactly("after");
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(pollValues(consumer, 2)).containsExactly("before", "after");
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    @Test
    void s3StoppedAndStartedAgainKeepsItsPortAndItsObjects() throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(endpoints.s3Endpoint())
                .credentials(endpoints.s3AccessKey(), endpoints.s3SecretKey()).build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket("restart-probe").build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket("restart-probe").build());
        }
        byte[] data = "kept".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket("restart-probe").object("kept.txt")
                .stream(new ByteArrayInputStream(data), data.length, -1).build());

        devstack.s3().stop();
        assertThat(devstack.s3().isRunning()).isFalse();
        assertThatThrownBy(() -> s3.bucketExists(BucketExistsArgs.builder().bucket("restart-probe").build()))
                .isInstanceOf(java.io.IOException.class);

        devstack.s3().start();
        assertThat(devstack.endpoints().s3Endpoint()).isEqualTo(endpoints.s3Endpoint());
        try (var in = s3.getObject(GetObjectArgs.builder().bucket("restart-probe").object("kept.txt").build())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }
}
