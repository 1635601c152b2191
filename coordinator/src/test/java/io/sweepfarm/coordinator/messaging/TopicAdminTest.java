package io.sweepfarm.coordinator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.config.TopicsConfig;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Topics against the devstack broker, whose own default is 8 partitions; the test profile configures 3. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class TopicAdminTest {

    private final Admin kafka = Admin.create(Map.of("bootstrap.servers", Infra.endpoints().kafkaBootstrap()));

    @Inject
    TopicAdmin topics;

    @AfterEach
    void close() {
        kafka.close();
    }

    /** The topic's partition count, once the broker's metadata shows the topic (it lags creation briefly). */
    private int partitions(String topic) {
        return await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> kafka.describeTopics(
                List.of(topic)).allTopicNames().get().get(topic).partitions().size(), n -> n > 0);
    }

    private Config configOf(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return kafka.describeConfigs(List.of(r)).all().get().get(r);
    }

    @Test
    void theSharedTopicsAreCreatedAtStartWithTheConfiguredPartitionsAndPolicies() throws Exception {
        assertThat(partitions(Topics.RESULTS)).isEqualTo(3);
        assertThat(partitions(Topics.HEARTBEATS)).isEqualTo(1);
        assertThat(configOf(Topics.HEARTBEATS).get("cleanup.policy").value()).isEqualTo("compact,delete");
        assertThat(configOf(Topics.HEARTBEATS).get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
        assertThat(configOf(Topics.CONTROL).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(topics.ensureSharedTopics()).isTrue();
    }

    @Test
    void modelsThatDifferOnlyByDotAndUnderscoreEachGetTheirTaskTopic() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String dotted = "hx.collide" + suffix;
        String underscored = "hx_collide" + suffix;
        topics.ensureTaskTopic(dotted);
        topics.ensureTaskTopic(underscored);
        topics.ensureTaskTopic(dotted); // answered from memory
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(partitions(Topics.tasks(dotted))).isEqualTo(3));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(partitions(Topics.tasks(underscored))).isEqualTo(3));
    }

    @Test
    void aTaskTopicWithFewerPartitionsIsGrown() throws Exception {
        String model = "grow-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopics(List.of(new NewTopic(Topics.tasks(model), Optional.of(1), Optional.empty()))).all().get();
        topics.ensureTaskTopic(model);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(partitions(Topics.tasks(model))).isEqualTo(3));
    }

    @Test
    void anExistingTopicWithoutItsCompactionIsGivenIt() throws Exception {
        String topic = "sweepfarm.test.compact-" + UUID.randomUUID();
        kafka.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> configOf(topic).get("cleanup.policy").value().equals("delete"));
        boolean ensured = topics.ensure(List.of(new TopicAdmin.TopicSpec(topic, 1,
                Map.of("cleanup.policy", "compact", "message.timestamp.type", "LogAppendTime"), false)));
        assertThat(ensured).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(configOf(topic).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configOf(topic).get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
        });
    }

    @Test
    void aTopicKafkaRefusesIsAnErrorNamingTheTopicAndTheCause() {
        TopicsConfig threeReplicas = new TopicsConfig() {
            public int taskPartitions() {
                return 2;
            }

            public int resultsPartitions() {
                return 2;
            }

            public Optional<Short> replicationFactor() {
                return Optional.of((short) 3);
            }

            public Duration heartbeatRetention() {
                return Duration.ofHours(1);
            }

            public Duration adminTimeout() {
                return Duration.ofSeconds(10);
            }
        };
        TopicAdmin admin = new TopicAdmin(threeReplicas,
                Map.of("bootstrap.servers", Infra.endpoints().kafkaBootstrap()));
        String model = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            assertThatThrownBy(() -> admin.ensureTaskTopic(model)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(Topics.tasks(model))
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("replication"));
        } finally {
            admin.onStop(null);
        }
    }

    @Test
    void aModelNameThatCannotNameATopicIsRefused() {
        assertThatThrownBy(() -> topics.ensureTaskTopic("No Such/Model")).isInstanceOf(IllegalArgumentException.class);
    }
}
