package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * A Kafka client setting given once the Quarkus way ({@code kafka.*}) reaches every client the worker builds: the
 * lane's task consumer, its results producer, the heartbeat producer and the control-topic follower. The setting is
 * {@code kafka.interceptor.classes}, whose instances report the client id they are configured into.
 */
@QuarkusTest
@TestProfile(WorkerKafkaSettingsTest.WithInterceptor.class)
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.class)
class WorkerKafkaSettingsTest {

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
    void theLaneTheResultsTheHeartbeatsAndTheControlFollowerAllGetTheSetting() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(CONFIGURED).anyMatch(id -> id.endsWith("-tasks")).anyMatch(id -> id.endsWith("-results"))
                    .anyMatch(id -> id.endsWith("-heartbeats"));
            assertThat(CONFIGURED).as("the control follower too").hasSizeGreaterThanOrEqualTo(4);
        });
    }
}
