package io.sweepfarm.devstack.testing;

import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The Testcontainers path: PostgreSQL, Apache Kafka and MinIO images, for machines with a Docker engine. */
final class TestcontainersInfra {

    static final String POSTGRES_IMAGE = "postgres:17-alpine";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

    private TestcontainersInfra() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static Endpoints start() {
        if (!dockerAvailable()) {
            throw new IllegalStateException("sweepfarm.infra=testcontainers needs a Docker engine and none was found");
        }
        PostgreSQLContainer pg = new PostgreSQLContainer(POSTGRES_IMAGE);
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        MinIOContainer minio = new MinIOContainer(MINIO_IMAGE);
        pg.start();
        kafka.start();
        minio.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            minio.stop();
            kafka.stop();
            pg.stop();
        }, "testcontainers-stop"));
        return new Endpoints(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(), kafka.getBootstrapServers(),
                minio.getS3URL(), minio.getUserName(), minio.getPassword(), Devstack.BUCKET);
    }
}
