package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.config.TopicsConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the Kafka topics with their configured partitions, replication and cleanup policy, so that nothing depends
 * on the broker's auto-creation defaults: at start (before the result consumer subscribes) the results, control and
 * heartbeat topics, and on demand each model's task topic ({@link #ensureTaskTopic}). An existing task topic with
 * fewer partitions than configured is grown (tasks are independent, so the key-to-partition change is harmless); other
 * topics with too few partitions are only reported, since growing them would reorder a key's messages. Topic configs
 * (compaction, retention) missing on an existing topic are set.
 *
 * <p>The admin client takes its settings from Quarkus' Kafka configuration ({@code kafka.*}), so TLS and SASL given
 * there reach it. At start, failures are logged and never stop the coordinator; {@link #ensureTaskTopic} throws, so
 * that the relay backs off and tries again.
 */
@ApplicationScoped
public class TopicAdmin {

    /** A topic as it should be. */
    record TopicSpec(String name, int partitions, Map<String, String> configs, boolean grow) {
    }

    private final TopicsConfig config;
    private final Map<String, Object> kafka;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private volatile Admin admin;

    @Inject
    TopicAdmin(TopicsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /** Runs before SmallRye messaging (priority 1000) starts the result consumer, which would auto-create. */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent event) {
        ensureSharedTopics();
    }

    /** Ensures the results, control and heartbeat topics; true when all three are as configured. */
    public boolean ensureSharedTopics() {
        String retention = Long.toString(config.heartbeatRetention().toMillis());
        return ensure(List.of(
                new TopicSpec(Topics.RESULTS, config.resultsPartitions(), Map.of(), false),
                new TopicSpec(Topics.CONTROL, 1, Map.of("cleanup.policy", "compact"), false),
                // Compacted (the latest heartbeat per lane) and deleted after the retention (lanes of scaled-down
                // pods go away); the broker's clock stamps them, so a lane's age does not depend on its host's clock.
                new TopicSpec(Topics.HEARTBEATS, 1, Map.of("cleanup.policy", "compact,delete",
                        "retention.ms", retention, "segment.ms", Long.toString(Math.min(3_600_000L,
                                config.heartbeatRetention().toMillis())),
                        "message.timestamp.type", "LogAppendTime"), false)));
    }

    /**
     * Ensures the task topic of {@code model} exists with {@code task-partitions} partitions (growing it if it has
     * fewer) and a leader for every partition, so the relay never produces into a half-created topic (an idempotent
     * producer can stall a partition there). Cheap after the first success for a model: the relay may call it before
     * every round.
     *
     * @throws IllegalArgumentException when the model name cannot name a topic ({@link Topics#tasks})
     * @throws IllegalStateException    when Kafka cannot be asked, refuses (e.g. a replication factor above the
     *                                  number of brokers) or gives no leader within {@code admin-timeout}; the message
     *                                  names the topic and the cause. The next call tries again
     */
    public void ensureTaskTopic(String model) {
        String topic = Topics.tasks(model);
        if (ensured.contains(topic)) {
            return;
        }
        try {
            apply(List.of(new TopicSpec(topic, config.taskPartitions(), Map.of(), true)));
            awaitLeaders(topic);
            ensured.add(topic);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create or check the task topic " + topic + " of model " + model
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer about the task topic " + topic + " within "
                    + config.adminTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the task topic " + topic, e);
        }
    }

    /** Applies {@code specs}; false, with a warning, when Kafka could not be asked or refused. */
    boolean ensure(List<TopicSpec> specs) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        try {
            apply(specs);
            ensured.addAll(names);
            return true;
        } catch (ExecutionException e) {
            Log.warnf("Could not create or check the Kafka topics %s (%s); restart the coordinator once Kafka "
                    + "answers; meanwhile Kafka may auto-create them with its defaults", names,
                    e.getCause().getMessage());
        } catch (TimeoutException e) {
            Log.warnf("Kafka did not answer within %s while creating the topics %s; restart the coordinator once "
                    + "Kafka answers", config.adminTimeout(), names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void apply(List<TopicSpec> specs) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> existing = describe(specs.stream().map(TopicSpec::name).toList());
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            TopicDescription d = existing.get(spec.name());
            if (d == null) {
                missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), config.replicationFactor())
                        .configs(spec.configs()));
            } else {
                checkPartitions(spec, d.partitions().size());
                alignConfigs(spec);
            }
        }
        create(missing, specs);
    }

    /** Waits until the broker reports every partition of {@code topic} with a leader. */
    private void awaitLeaders(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + config.adminTimeout().toNanos();
        while (true) {
            TopicDescription d = describe(List.of(topic)).get(topic);
            if (d != null && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the partitions of " + topic + " have no leader yet");
            }
            Thread.sleep(100); // polling the broker's metadata; there is no event to wait on
        }
    }

    private Map<String, TopicDescription> describe(List<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> found = new HashMap<>();
        var futures = admin().describeTopics(names).topicNameValues();
        for (String name : names) {
            try {
                found.put(name, futures.get(name).get(timeoutMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return found;
    }

    private void create(List<NewTopic> missing, List<TopicSpec> specs)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (missing.isEmpty()) {
            return;
        }
        var results = admin().createTopics(missing).values();
        for (NewTopic topic : missing) {
            try {
                results.get(topic.name()).get(timeoutMillis(), TimeUnit.MILLISECONDS);
                Log.infof("Created Kafka topic %s with %d partition(s)%s", topic.name(), topic.numPartitions(),
                        topic.configs().isEmpty() ? "" : " and " + topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Created meanwhile by another coordinator or by auto-creation: check it like an existing one.
                TopicSpec spec = specs.stream().filter(s -> s.name().equals(topic.name())).findFirst().orElseThrow();
                TopicDescription d = describe(List.of(spec.name())).get(spec.name());
                if (d != null) {
                    checkPartitions(spec, d.partitions().size());
                }
                alignConfigs(spec);
            }
        }
    }

    private void checkPartitions(TopicSpec spec, int actual)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (actual >= spec.partitions()) {
            return;
        }
        if (spec.grow()) {
            admin().createPartitions(Map.of(spec.name(), NewPartitions.increaseTo(spec.partitions()))).all()
                    .get(timeoutMillis(), TimeUnit.MILLISECONDS);
            Log.infof("Grew Kafka topic %s from %d to %d partitions", spec.name(), actual, spec.partitions());
        } else {
            Log.warnf("Kafka topic %s has %d partitions, fewer than the configured %d; it is left as it is (growing "
                    + "it would reorder messages of one key). Recreate it while the fleet is stopped if you need more",
                    spec.name(), actual, spec.partitions());
        }
    }

    /**
     * Sets the spec's topic configs that an existing topic lacks, e.g. the compaction of a heartbeat topic that a
     * worker's producer auto-created before any coordinator ran.
     */
    private void alignConfigs(TopicSpec spec) throws ExecutionException, InterruptedException, TimeoutException {
        if (spec.configs().isEmpty()) {
            return;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config current = admin().describeConfigs(List.of(resource)).all().get(timeoutMillis(), TimeUnit.MILLISECONDS)
                .get(resource);
        List<AlterConfigOp> changes = new ArrayList<>();
        spec.configs().forEach((key, value) -> {
            ConfigEntry entry = current == null ? null : current.get(key);
            if (entry == null || !value.equals(entry.value())) {
                changes.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
            }
        });
        if (!changes.isEmpty()) {
            admin().incrementalAlterConfigs(Map.of(resource, changes)).all().get(timeoutMillis(),
                    TimeUnit.MILLISECONDS);
            Log.infof("Set %s on the existing Kafka topic %s", changes.stream().map(c -> c.configEntry().name() + "="
                    + c.configEntry().value()).toList(), spec.name());
        }
    }

    private long timeoutMillis() {
        return config.adminTimeout().toMillis();
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> p = new HashMap<>(kafka);
                    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
                    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sweepfarm-coordinator-admin");
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                            timeoutMillis()));
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                            timeoutMillis()));
                    admin = Admin.create(p);
                }
                a = admin;
            }
        }
        return a;
    }

    void onStop(@Observes ShutdownEvent event) {
        Admin a = admin;
        if (a != null) {
            a.close(java.time.Duration.ofSeconds(5));
        }
    }
}
