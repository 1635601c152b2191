package io.sweepfarm.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside this JVM on
 * loopback ports. The storage directory is formatted on first use and reused when {@code keepData} is set.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);

    private final KafkaRaftServer server;
    private final int port;

    private KafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static KafkaBroker start(Path logDir, int port, boolean keepData) {
        long t0 = System.nanoTime();
        try {
            if (!keepData) {
                Files.deleteIfExists(logDir.resolve("meta.properties"));
                Files.createDirectories(logDir);
                try (var files = Files.walk(logDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(logDir))
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(logDir);
            int controllerPort = Ports.free();
            Properties props = properties(logDir, port, controllerPort);
            Path propsFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                try (Writer w = Files.newBufferedWriter(propsFile)) {
                    props.store(w, "sweepfarm devstack broker");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
                        propsFile.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
                if (rc != 0) {
                    throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: " + out);
                }
            } else {
                // A reused directory keeps its controller port in the quorum voters: read it back.
                props = properties(logDir, port, previousControllerPort(propsFile, controllerPort));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            Ports.awaitListening(port, Duration.ofSeconds(60), "Kafka broker");
            LOG.infof("Kafka (KRaft) up on 127.0.0.1:%d (data %s) in %d ms", port, logDir,
                    (System.nanoTime() - t0) / 1_000_000);
            return new KafkaBroker(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int previousControllerPort(Path propsFile, int fallback) throws IOException {
        if (!Files.exists(propsFile)) {
            return fallback;
        }
        Properties old = new Properties();
        try (var r = Files.newBufferedReader(propsFile)) {
            old.load(r);
        }
        String voters = old.getProperty("controller.quorum.voters", "");
        int colon = voters.lastIndexOf(':');
        return colon > 0 ? Integer.parseInt(voters.substring(colon + 1)) : fallback;
    }

    private static Properties properties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "8");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", "1000000");
        return p;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
