package io.sweepfarm.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one) in a child JVM on loopback ports,
 * with its own class path (so its Kafka version is independent of the clients of the JVM that starts it). The
 * storage directory is formatted on first use and reused when {@code keepData} is set; {@link #stop()} and
 * {@link #start()} keep the ports, topics, records and committed offsets.
 */
public final class KafkaBroker extends ChildProcessServer {

    private final Path propsFile;

    private KafkaBroker(Path propsFile, int port, Path log) {
        super("Kafka (KRaft)", port, log, Duration.ofSeconds(90), Duration.ofSeconds(30));
        this.propsFile = propsFile;
    }

    /** Starts the broker with its log segments in {@code logDir} and waits until it listens. */
    public static KafkaBroker start(Path logDir, int port, boolean keepData) {
        KafkaBroker kafka = launch(logDir, port, keepData);
        kafka.awaitUp();
        return kafka;
    }

    /** Starts the broker without waiting for it to listen; {@link #awaitUp()} waits. */
    static KafkaBroker launch(Path logDir, int port, boolean keepData) {
        try {
            Path propsFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
            if (!keepData && Files.exists(logDir)) {
                try (var files = Files.walk(logDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(logDir);
            // A reused storage directory keeps its controller port in the quorum voters: read it back.
            int controllerPort = Files.exists(logDir.resolve("meta.properties"))
                    ? previousControllerPort(propsFile) : Ports.free();
            try (Writer w = Files.newBufferedWriter(propsFile)) {
                properties(logDir, port, controllerPort).store(w, "sweepfarm devstack broker");
            }
            KafkaBroker kafka = new KafkaBroker(propsFile, port, logDir.resolveSibling("kafka.log"));
            kafka.launchProcess();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka in " + logDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    List<String> command() {
        String classPath = BuildInfo.properties().getProperty("kafka.classpath");
        return ChildJvm.command(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"), classPath,
                KafkaBrokerMain.class.getName(), List.of(propsFile.toString()));
    }

    private static int previousControllerPort(Path propsFile) throws IOException {
        Properties old = new Properties();
        if (Files.exists(propsFile)) {
            try (var r = Files.newBufferedReader(propsFile)) {
                old.load(r);
            }
        }
        String voters = old.getProperty("controller.quorum.voters", "");
        int colon = voters.lastIndexOf(':');
        return colon > 0 ? Integer.parseInt(voters.substring(colon + 1)) : Ports.free();
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
        return "127.0.0.1:" + port();
    }
}
