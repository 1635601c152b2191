package io.sweepfarm.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * Quarkus test resource that points the application under test at real PostgreSQL, Kafka and S3: devstack's
 * embedded servers by default, or Testcontainers when {@link InfraMode#TESTCONTAINERS} is chosen. One set of
 * servers is shared by every test class of the JVM and stopped when the JVM exits; tests isolate their data by
 * creating their own sweeps.
 *
 * <p>Pair it with {@link RequiresInfra} so that test classes are skipped, with a message, where the chosen
 * infrastructure cannot run (Testcontainers without a Docker engine).
 */
public class DevstackTestResource implements QuarkusTestResourceLifecycleManager {

    private static Endpoints shared;

    @Override
    public synchronized Map<String, String> start() {
        return endpoints().quarkusConfig();
    }

    /** The shared endpoints, starting the infrastructure on first use. */
    public static synchronized Endpoints endpoints() {
        if (shared == null) {
            shared = switch (InfraMode.current()) {
                case DEVSTACK -> startDevstack();
                case TESTCONTAINERS -> TestcontainersInfra.start();
            };
        }
        return shared;
    }

    private static Endpoints startDevstack() {
        try {
            var dir = Files.createTempDirectory("sweepfarm-devstack-");
            Devstack devstack = Devstack.start(dir, false);
            Runtime.getRuntime().addShutdownHook(new Thread(devstack::close, "devstack-stop"));
            return devstack.endpoints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the JVM shutdown hook.
    }
}
