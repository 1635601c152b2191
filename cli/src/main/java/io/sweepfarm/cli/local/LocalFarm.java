package io.sweepfarm.cli.local;

import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one-machine mode: devstack's real PostgreSQL, Kafka and S3, the coordinator and one worker lane, all on
 * loopback. Used by {@code sweepfarm demo}, {@code sweepfarm up} and the end-to-end tests. Close it to stop
 * everything, in reverse order.
 */
public final class LocalFarm implements AutoCloseable {

    /**
     * @param home       the repository root (where {@code coordinator/target/quarkus-app} lives)
     * @param stateDir   where data and logs go
     * @param persistent keep data between runs
     * @param model      model name served by the worker
     * @param modelDir   model folder; the tiny model is generated there if it holds none
     * @param device     worker device, {@code cpu} or {@code cuda:N}
     */
    public record Options(Path home, Path stateDir, boolean persistent, String model, Path modelDir, String device) {
    }

    private final Devstack devstack;
    private final AppProcess coordinator;
    private final AppProcess worker;

    private LocalFarm(Devstack devstack, AppProcess coordinator, AppProcess worker) {
        this.devstack = devstack;
        this.coordinator = coordinator;
        this.worker = worker;
    }

    public static LocalFarm start(Options o, Consumer<String> say) {
        TinyModel.ensure(o.modelDir(), say);
        say.accept("starting PostgreSQL, Kafka and S3 (devstack) ...");
        Devstack devstack = Devstack.start(o.stateDir().resolve("infra"), o.persistent());
        AppProcess coordinator = null;
        try {
            Endpoints e = devstack.endpoints();
            say.accept("starting the coordinator ...");
            coordinator = AppProcess.launch("coordinator", o.home().resolve("coordinator/target/quarkus-app"),
                    Ports.free(), e.quarkusConfig(), o.stateDir().resolve("logs/coordinator.log"));
            Map<String, String> workerConfig = new LinkedHashMap<>(e.quarkusConfig());
            workerConfig.put("sweepfarm.worker.model", o.model());
            workerConfig.put("sweepfarm.worker.model-path", o.modelDir().toAbsolutePath().toString());
            workerConfig.put("sweepfarm.worker.device", o.device());
            say.accept("starting a worker (" + o.model() + " on " + o.device() + ") ...");
            AppProcess worker = AppProcess.launch("worker", o.home().resolve("gpu-worker/target/quarkus-app"),
                    Ports.free(), workerConfig, o.stateDir().resolve("logs/worker.log"));
            coordinator.awaitReady(Duration.ofSeconds(120));
            worker.awaitReady(Duration.ofSeconds(120));
            return new LocalFarm(devstack, coordinator, worker);
        } catch (RuntimeException ex) {
            if (coordinator != null) {
                coordinator.close();
            }
            devstack.close();
            throw ex;
        }
    }

    /** A fresh state directory under {@code parent}, emptied if it exists. */
    public static Path freshDir(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    public String coordinatorUrl() {
        return coordinator.baseUrl();
    }

    public Endpoints endpoints() {
        return devstack.endpoints();
    }

    public AppProcess coordinator() {
        return coordinator;
    }

    public AppProcess worker() {
        return worker;
    }

    @Override
    public void close() {
        worker.close();
        coordinator.close();
        devstack.close();
    }
}
