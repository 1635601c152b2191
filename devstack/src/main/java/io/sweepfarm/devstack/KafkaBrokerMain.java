package io.sweepfarm.devstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * Main class of the {@link KafkaBroker} child JVM: formats the storage directory on first use, then runs the broker
 * until SIGTERM, on which it shuts down cleanly.
 *
 * <p>Usage: {@code KafkaBrokerMain <server.properties>}
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(r);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", args[0]},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                System.err.println("formatting Kafka storage in " + logDir + " failed: " + out);
                System.exit(1);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-stop"));
        server.startup();
        System.out.println("Kafka broker started: " + props.getProperty("listeners"));
        server.awaitShutdown();
    }
}
