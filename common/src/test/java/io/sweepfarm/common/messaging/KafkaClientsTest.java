package io.sweepfarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    @Test
    void commonSettingsSuchAsTlsAndSaslReachTheClientUnderItsOwnSettings() {
        Map<String, Object> common = new HashMap<>();
        common.put("bootstrap.servers", "broker:9093");
        common.put("security.protocol", "SASL_SSL");
        common.put("sasl.mechanism", "SCRAM-SHA-512");
        common.put("client.id", "from-common");
        common.put("group.id", "someone-elses-group");
        common.put("ssl.truststore.location", null);

        Map<String, Object> s = KafkaClients.settings(common, Map.of("client.id", "lane-1-tasks", "acks", "all"));

        assertThat(s).containsEntry("bootstrap.servers", "broker:9093").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("client.id", "lane-1-tasks")
                .containsEntry("acks", "all").doesNotContainKeys("group.id", "ssl.truststore.location");
        assertThat(common).containsEntry("client.id", "from-common"); // the common map is left alone
    }
}
