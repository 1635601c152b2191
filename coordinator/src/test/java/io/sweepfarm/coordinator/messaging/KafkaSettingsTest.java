package io.sweepfarm.coordinator.messaging;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;


/**
 * A Kafka client setting given once the Quarkus way ({@code kafka.*}) reaches every client the coordinator builds
 * itself: here {@code kafka.interceptor.classes}, which makes each producer and consumer announce its client id (TLS
 * and SASL settings travel the same way, through {@code KafkaClients}).
 */
@QuarkusTest
@TestProfile(KafkaSettingsTest.WithInterceptor.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class KafkaSettingsTest {

    /** Client ids of the Kafka clients that were configured with the interceptor. */
    static final Set<String> CONFIGURED = ConcurrentHashMap.newKeySet();

    public static class WithInterceptor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.interceptor.classes", Recorder.class.getName());
        }
    }

    /** Records the client id of every producer and consumer it is configured into. */
    public static class Recorder implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {
        @Override
        public void configure(Map<String, ?> configs) {
            Object id = configs.get("client.id");
            CONFIGURED.add(id == null ? "?" : id.toString());
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theTaskPublisherTheResultConsumerAndTheHeartbeatFollowerAllGetTheSetting() {
        Api.create(aSweep()); // the relay's producer starts with the first release
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(CONFIGURED).contains(
                "sweepfarm-coordinator-tasks", "sweepfarm-coordinator-results", "sweepfarm-coordinator-heartbeats"));
    }
}
