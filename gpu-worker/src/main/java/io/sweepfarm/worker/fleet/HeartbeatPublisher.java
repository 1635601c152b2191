package io.sweepfarm.worker.fleet;

import io.smallrye.common.annotation.Identifier;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.KafkaClients;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends each registered lane's {@link LaneHeartbeat} to {@link Topics#HEARTBEATS}, keyed by lane id, every
 * {@code sweepfarm.worker.heartbeat.interval} from a timer thread, and a final one (state stopped, or failed) from
 * {@link #stop()}. Heartbeats are best effort: a Kafka outage is logged once when it starts and once when it ends, and
 * never slows a lane. The producer takes its settings from Quarkus' Kafka configuration ({@code kafka.*}, the
 * {@code default-kafka-broker} map), so TLS and SASL settings reach it.
 */
@ApplicationScoped
public class HeartbeatPublisher {

    private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);
    private static final Duration FINAL_SEND_TIMEOUT = Duration.ofSeconds(5);

    private final Duration interval;
    private final Duration window;
    private final Map<String, Object> kafka;
    private final String version;
    private final String host = hostName();
    private final List<LaneStats> lanes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private String workerId;
    private KafkaProducer<String, byte[]> producer;
    private ScheduledExecutorService timer;
    private boolean stopped;
    private volatile boolean closed;

    @Inject
    HeartbeatPublisher(HeartbeatConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this(config.interval(), config.window(), kafka, version);
    }

    /** Outside CDI (tests): {@code kafka} holds Kafka client settings such as {@code bootstrap.servers}. */
    public HeartbeatPublisher(Duration interval, Duration window, Map<String, Object> kafka, String version) {
        this.interval = interval;
        this.window = window;
        this.kafka = kafka;
        this.version = version;
    }

    /**
     * Registers a lane (state loading) and starts heartbeating if it has not started yet; never blocks on Kafka.
     *
     * @return the statistics the lane updates
     */
    public synchronized LaneStats register(String workerId, String laneId, String model, String device) {
        if (stopped) {
            throw new IllegalStateException("heartbeats are stopped");
        }
        this.workerId = workerId;
        LaneStats stats = new LaneStats(laneId, model, device, interval, window, System::nanoTime);
        lanes.add(stats);
        if (timer == null) {
            producer = new KafkaProducer<>(producerProperties(workerId), new StringSerializer(),
                    new ByteArraySerializer());
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heartbeats");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::sendAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("sending lane heartbeats to %s every %s", Topics.HEARTBEATS, interval);
        }
        return stats;
    }

    /** Sends every lane's heartbeat now (e.g. right after a lane failed), without waiting for the broker. */
    public void sendAll() {
        for (LaneStats lane : lanes) {
            sendNow(lane);
        }
    }

    /**
     * Marks every lane stopped (failed ones stay failed), sends their last heartbeats and waits up to a few seconds
     * for the broker, then closes the producer. Call it after the lanes have finished; idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(FINAL_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.forEach(LaneStats::stopped);
        sendAll();
        producer.close(FINAL_SEND_TIMEOUT);
        closed = true;
        LOG.infof("sent the last heartbeat of %d lane(s)", lanes.size());
    }

    @PreDestroy
    void close() {
        stop();
    }

    LaneHeartbeat heartbeat(LaneStats lane) {
        LaneStats.Snapshot s = lane.snapshot();
        return new LaneHeartbeat(workerId, lane.laneId(), host, lane.model(), lane.device(), s.state(),
                s.imagesPerSecond(), s.meanStepMillis(), s.batchSize(), s.lastError(), version, Instant.now(),
                lane.addons());
    }

    private void sendNow(LaneStats lane) {
        if (closed) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS, lane.laneId(), Json.toBytes(heartbeat(lane))),
                    (meta, e) -> reportOutcome(e));
        } catch (RuntimeException e) {
            reportOutcome(e);
        }
    }

    private void reportOutcome(Exception e) {
        if (e == null) {
            if (failing.compareAndSet(true, false)) {
                LOG.infof("lane heartbeats reach %s again", Topics.HEARTBEATS);
            }
        } else if (failing.compareAndSet(false, true)) {
            LOG.warnf("lane heartbeats cannot be sent to %s (%s); the coordinator will show this worker's lanes as "
                    + "lost until Kafka is reachable again. Rendering goes on", Topics.HEARTBEATS, e.getMessage());
        }
    }

    private Map<String, Object> producerProperties(String workerId) {
        Map<String, Object> p = KafkaClients.settings(kafka, Map.of());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-heartbeats");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.max(1000, interval.toMillis())));
        return p;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
