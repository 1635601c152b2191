package io.sweepfarm.worker.lane;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.worker.config.WorkerConfig;
import io.sweepfarm.worker.engine.StableDiffusionRenderer;
import io.sweepfarm.worker.engine.model.DeviceSpec;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the worker's lane when the application starts and stops it on shutdown. Start-up fails, and the process
 * exits with the reason, when the device or the model cannot be loaded: a worker that cannot render must not consume.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);

    private final WorkerConfig config;
    private final ImageStore store;
    private final String bootstrapServers;
    private Renderer renderer;
    private TaskLane lane;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    WorkerLifecycle(WorkerConfig config, ImageStore store,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.store = store;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        String device = config.device().orElseThrow(() -> new IllegalStateException(
                "sweepfarm.worker.device is not set: set it to cuda:N to render on GPU N, or to cpu to render on "
                        + "the CPU deliberately (SWEEPFARM_WORKER_DEVICE)"));
        String workerId = config.id().orElseGet(WorkerLifecycle::hostName) + "/" + device;
        long t0 = System.nanoTime();
        renderer = StableDiffusionRenderer.open(config.model(), config.modelPath(), DeviceSpec.parse(device),
                config.intraOpThreads());
        LOG.infof("loaded model %s from %s on %s in %d ms", config.model(), config.modelPath(), device,
                (System.nanoTime() - t0) / 1_000_000);
        store.ensureBucket();
        producer = new KafkaProducer<>(producerProperties(workerId), new StringSerializer(), new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(workerId),
                new StringDeserializer(), new ByteArrayDeserializer());
        lane = new TaskLane(config.model(), consumer, producer, renderer, store, workerId, config.maxBatch(),
                config.retryBackoff());
        thread = new Thread(lane, "lane-" + config.model() + "@" + device);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.errorf(e, "lane %s died; restart the worker", t.getName()));
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (lane != null) {
            lane.stop();
            thread.join(60_000);
        }
        if (producer != null) {
            producer.close();
        }
        if (renderer != null) {
            renderer.close();
        }
    }

    private Properties consumerProperties(String workerId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sweepfarm-workers." + config.model());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-tasks");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(1, config.maxBatch())));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(config.maxPollInterval().toMillis()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return p;
    }

    private Properties producerProperties(String workerId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-results");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }

    /** The topic this worker consumes, for logs and tests. */
    public String topic() {
        return Topics.tasks(config.model());
    }
}
