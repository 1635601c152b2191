package io.sweepfarm.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker the deployment tests rely on tells read settings from misspelt or foreign ones. */
class ServiceConfigTest {

    private static final ServiceConfig WORKER = ServiceConfig.of("gpu-worker");
    private static final ServiceConfig COORDINATOR = ServiceConfig.of("coordinator");

    @Test
    void theWorkerReadsItsMappingsItsPropertiesAndKafkaClientSettings() {
        assertThat(WORKER.reads("SWEEPFARM_WORKER_MODEL")).isTrue();
        assertThat(WORKER.reads("SWEEPFARM_WORKER_MODEL_PATH")).isTrue();
        assertThat(WORKER.reads("SWEEPFARM_WORKER_MODEL_PATHS_SDXL")).as("a map entry").isTrue();
        assertThat(WORKER.reads("SWEEPFARM_WORKER_HEARTBEAT_INTERVAL")).isTrue();
        assertThat(WORKER.reads("SWEEPFARM_S3_ENDPOINT")).isTrue();
        assertThat(WORKER.reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(WORKER.reads("KAFKA_SECURITY_PROTOCOL")).isTrue();
        assertThat(WORKER.reads("KAFKA_SASL_JAAS_CONFIG")).isTrue();
        assertThat(WORKER.httpPort()).isEqualTo(8081);
    }

    @Test
    void misspeltAndForeignSettingsAreNotRead() {
        assertThat(WORKER.reads("SWEEPFARM_WORKER_MODLE")).isFalse();
        assertThat(WORKER.reads("SWEEPFARM_DB_URL")).as("workers never read the database").isFalse();
        assertThat(WORKER.reads("KAFKA_NO_SUCH_SETTING")).isFalse();
        assertThat(WORKER.reads("JAVA_OPTS")).as("the images' entry point does not use it").isFalse();
        assertThat(COORDINATOR.reads("SWEEPFARM_WORKER_MODEL")).isFalse();
    }

    @Test
    void theCoordinatorReadsItsDatabaseTopicAndFleetSettings() {
        assertThat(COORDINATOR.reads("SWEEPFARM_DB_URL")).isTrue();
        assertThat(COORDINATOR.reads("SWEEPFARM_COORDINATOR_IN_FLIGHT_PER_MODEL")).isTrue();
        assertThat(COORDINATOR.reads("SWEEPFARM_COORDINATOR_TOPICS_TASK_PARTITIONS")).isTrue();
        assertThat(COORDINATOR.reads("SWEEPFARM_COORDINATOR_TOPICS_REPLICATION_FACTOR")).isTrue();
        assertThat(COORDINATOR.reads("SWEEPFARM_COORDINATOR_FLEET_LOST_AFTER")).isTrue();
        assertThat(COORDINATOR.httpPort()).isEqualTo(8080);
        assertThat(COORDINATOR.healthPaths()).contains("/q/health/live", "/q/health/ready");
    }
}
