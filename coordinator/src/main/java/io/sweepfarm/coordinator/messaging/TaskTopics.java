package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.sweepfarm.common.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes sure a model's task topic exists, with every partition led, before the relay first publishes to it: producing
 * into a topic the broker is still creating makes the producer retry against half-created partitions (and an
 * idempotent producer can then stall a partition). Each model is checked once per coordinator.
 */
@ApplicationScoped
public class TaskTopics {

    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private volatile Admin admin;

    /** Returns once the topic of {@code model} exists with a leader for each partition; throws if it cannot. */
    public void ensure(String model) {
        String topic = Topics.tasks(model);
        if (ready.contains(topic)) {
            return;
        }
        try {
            try {
                admin().createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all()
                        .get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                Log.infof("Created the task topic %s for model %s", topic, model);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the task topic " + topic + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            }
            long deadline = System.nanoTime() + READY_WITHIN.toNanos();
            while (true) {
                TopicDescription d = admin().describeTopics(List.of(topic)).allTopicNames()
                        .get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (d != null && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    ready.add(topic);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the partitions of task topic " + topic + " have no leader");
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the task topic " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer about the task topic " + topic + " within "
                    + READY_WITHIN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing " + topic, e);
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties p = new Properties();
                    p.put("bootstrap.servers", bootstrapServers);
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
            a.close(Duration.ofSeconds(5));
        }
    }
}
