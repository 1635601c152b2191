package io.sweepfarm.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.ServerControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Quarkus test resource that points the application under test at real PostgreSQL, Kafka and S3: devstack's
 * embedded servers by default, or Testcontainers when {@link InfraMode#TESTCONTAINERS} is chosen. One set of
 * servers is shared by every test class of the JVM and stopped when the JVM exits; tests isolate their data by
 * creating their own sweeps. Quarkus loads this class again for every application restart (a new class loader), so
 * the running servers' endpoints are kept in JVM-wide system properties rather than in a static field alone.
 *
 * <p>Fault tests stop and start one server of the shared set with {@link #postgres()}, {@link #kafka()} and
 * {@link #s3()} (devstack only): the server comes back on the same port with the same data. A test that stops one
 * starts it again before it ends.
 *
 * <p>Pair it with {@link RequiresInfra} so that test classes are skipped, with a message, where the chosen
 * infrastructure cannot run (Testcontainers without a Docker engine).
 */
public class DevstackTestResource implements QuarkusTestResourceLifecycleManager {

    private static Endpoints shared;

    @Override
    public Map<String, String> start() {
        return endpoints().quarkusConfig();
    }

    /** The shared endpoints, starting the infrastructure on first use. */
    public static Endpoints endpoints() {
        synchronized (System.class) {
            if (shared == null) {
                shared = fromSystemProperties();
            }
            if (shared == null) {
                shared = switch (InfraMode.current()) {
                    case DEVSTACK -> startDevstack();
                    case TESTCONTAINERS -> TestcontainersInfra.start();
                };
                toSystemProperties(shared);
            }
            return shared;
        }
    }

    /** The shared PostgreSQL, to stop and start again mid-test (devstack only). */
    public static ServerControl postgres() {
        return control("postgres");
    }

    /** The shared Kafka broker, to stop and start again mid-test (devstack only). */
    public static ServerControl kafka() {
        return control("kafka");
    }

    /** The shared S3 server, to stop and start again mid-test (devstack only). */
    public static ServerControl s3() {
        return control("s3");
    }

    private static ServerControl control(String server) {
        if (InfraMode.current() != InfraMode.DEVSTACK) {
            throw new IllegalStateException("stopping and starting a server needs devstack; this run uses "
                    + InfraMode.current() + " (unset sweepfarm.infra to use devstack)");
        }
        endpoints();
        return DevstackControl.client(server);
    }

    private static final String PREFIX = "sweepfarm.test.infra.";

    private static void toSystemProperties(Endpoints e) {
        System.setProperty(PREFIX + "jdbc-url", e.jdbcUrl());
        System.setProperty(PREFIX + "db-user", e.dbUser());
        System.setProperty(PREFIX + "db-password", e.dbPassword());
        System.setProperty(PREFIX + "kafka", e.kafkaBootstrap());
        System.setProperty(PREFIX + "s3-endpoint", e.s3Endpoint());
        System.setProperty(PREFIX + "s3-access-key", e.s3AccessKey());
        System.setProperty(PREFIX + "s3-secret-key", e.s3SecretKey());
        System.setProperty(PREFIX + "bucket", e.bucket());
    }

    private static Endpoints fromSystemProperties() {
        String url = System.getProperty(PREFIX + "jdbc-url");
        if (url == null) {
            return null;
        }
        return new Endpoints(url, System.getProperty(PREFIX + "db-user"), System.getProperty(PREFIX + "db-password"),
                System.getProperty(PREFIX + "kafka"), System.getProperty(PREFIX + "s3-endpoint"),
                System.getProperty(PREFIX + "s3-access-key"), System.getProperty(PREFIX + "s3-secret-key"),
                System.getProperty(PREFIX + "bucket"));
    }

    private static Endpoints startDevstack() {
        try {
            var dir = Files.createTempDirectory("sweepfarm-devstack-");
            Devstack devstack = Devstack.start(dir, false);
            DevstackControl.register(devstack);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                devstack.close();
                deleteRecursively(dir);
            }, "devstack-stop"));
            return devstack.endpoints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(java.nio.file.Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the JVM shutdown hook.
    }
}
