package io.sweepfarm.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The Kafka topics the coordinator creates ({@code sweepfarm.coordinator.topics.*}): partition counts, replication
 * and how long it waits for the broker. See docs/operations.md for how task partitions bound a model's fleet.
 */
@ConfigMapping(prefix = "sweepfarm.coordinator.topics")
public interface TopicsConfig {

    /**
     * Partitions of each model's task topic: the most lanes of one model that can render at once (a consumer group
     * gives each partition to one lane). Existing task topics with fewer partitions are grown to this.
     */
    @WithDefault("32")
    int taskPartitions();

    /** Partitions of the results topic, read by the coordinators' shared consumer group. */
    @WithDefault("8")
    int resultsPartitions();

    /**
     * Replication factor of the topics the coordinator creates; unset uses the broker's
     * {@code default.replication.factor} (1 on a single-broker devstack, usually 3 in production).
     */
    Optional<Short> replicationFactor();

    /** How long lane heartbeats are kept; lanes silent longer than this disappear from the topic. */
    @WithDefault("1d")
    Duration heartbeatRetention();

    /** Longest wait for Kafka when creating or checking topics. */
    @WithDefault("30s")
    Duration adminTimeout();
}
