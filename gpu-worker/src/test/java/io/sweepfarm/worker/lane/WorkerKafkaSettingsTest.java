package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.devstack.testing.ClientIdRecorder;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.Map;
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

    public static class WithInterceptor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.interceptor.classes", ClientIdRecorder.class.getName());
        }
    }

    @Test
    void theLaneTheResultsTheHeartbeatsAndTheControlFollowerAllGetTheSetting() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ClientIdRecorder.clientIds()).anyMatch(id -> id.endsWith("-tasks"))
                    .anyMatch(id -> id.endsWith("-results")).anyMatch(id -> id.endsWith("-heartbeats"));
            assertThat(ClientIdRecorder.clientIds()).as("the control follower too").hasSizeGreaterThanOrEqualTo(4);
        });
    }
}
