package io.sweepfarm.common.messaging;

import java.util.HashMap;
import java.util.Map;

/**
 * Settings for the Kafka clients Sweepfarm builds itself (task publisher, result consumer, worker lanes, control and
 * heartbeat followers, topic admin). They start from the application's common Kafka configuration — in Quarkus the
 * {@code default-kafka-broker} map, i.e. every {@code kafka.*} property — so that TLS, SASL and any other client
 * setting an operator gives the Quarkus way reaches every client, and then add what the client itself needs.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * The common settings with {@code own} on top. A {@code group.id} in the common settings is dropped (each client
     * that joins a group names its own), as are entries without a value.
     */
    public static Map<String, Object> settings(Map<String, ?> common, Map<String, ?> own) {
        Map<String, Object> out = new HashMap<>();
        common.forEach((k, v) -> {
            if (v != null && !"group.id".equals(k)) {
                out.put(k, v);
            }
        });
        out.putAll(own);
        return out;
    }

    /** Settings from a bootstrap address alone, for tests and tools that have no common configuration. */
    public static Map<String, Object> bootstrap(String servers) {
        return Map.of("bootstrap.servers", servers);
    }
}
