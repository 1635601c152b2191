package io.sweepfarm.coordinator.messaging;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.devstack.testing.ClientIdRecorder;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.Map;
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

    public static class WithInterceptor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.interceptor.classes", ClientIdRecorder.class.getName());
        }
    }

    @Test
    void theTaskPublisherTheResultConsumerAndTheHeartbeatFollowerAllGetTheSetting() {
        Api.create(aSweep()); // the relay's producer starts with the first release
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ClientIdRecorder.clientIds())
                .contains("sweepfarm-coordinator-tasks", "sweepfarm-coordinator-results",
                        "sweepfarm-coordinator-heartbeats"));
    }
}
