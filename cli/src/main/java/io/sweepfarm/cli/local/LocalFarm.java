package io.sweepfarm.cli.local;

import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one-machine mode: devstack's real PostgreSQL, Kafka and S3, the coordinator and one worker lane, all on
 * loopback (every HTTP port binds 127.0.0.1 only). Used by {@code sweepfarm demo}, {@code sweepfarm up} and the
 * end-to-end tests. Close it to stop everything, in reverse order.
 */
public final class LocalFarm implements AutoCloseable {

    /**
     * @param home       the repository root (where {@code coordinator/target/quarkus-app} lives)
     * @param stateDir   where data and logs go
     * @param persistent keep data between runs
     * @param model      model name served by the worker
     * @param modelDir   model folder; the tiny model is generated there if it holds none
     * @param device     worker device, {@code cpu} or {@code cuda:N}
     * @param coordinatorPort the coordinator's port on 127.0.0.1; 0 for any free one
     * @param workerSettings  further {@code sweepfarm.worker.*} settings of every worker, over the ones above: e.g.
     *                        {@code lanes} with {@code model-paths.<model>} and the LoRA, ControlNet and refiner
     *                        folders of each lane's model
     */
    public record Options(Path home, Path stateDir, boolean persistent, String model, Path modelDir, String device,
            int coordinatorPort, Map<String, String> workerSettings) {

        public Options {
            workerSettings = Map.copyOf(workerSettings);
        }

        /** Options whose workers serve {@code model} alone. */
        public Options(Path home, Path stateDir, boolean persistent, String model, Path modelDir, String device,
                int coordinatorPort) {
            this(home, stateDir, persistent, model, modelDir, device, coordinatorPort, Map.of());
        }

        /** Options with the coordinator on any free port. */
        public Options(Path home, Path stateDir, boolean persistent, String model, Path modelDir, String device) {
            this(home, stateDir, persistent, model, modelDir, device, 0);
        }

        /** These options with {@code settings} added to every worker's. */
        public Options withWorkerSettings(Map<String, String> settings) {
            Map<String, String> all = new LinkedHashMap<>(workerSettings);
            all.putAll(settings);
            return new Options(home, stateDir, persistent, model, modelDir, device, coordinatorPort, all);
        }
    }

    private final Options options;
    private final Devstack devstack;
    private AppProcess coordinator;
    private int coordinatorStarts = 1;
    private final List<AppProcess> workers = new ArrayList<>();

    private LocalFarm(Options options, Devstack devstack, AppProcess coordinator, AppProcess worker) {
        this.options = options;
        this.devstack = devstack;
        this.coordinator = coordinator;
        this.workers.add(worker);
    }

    public static LocalFarm start(Options o, Consumer<String> say) {
        TinyModel.ensure(o.modelDir(), say);
        say.accept("starting PostgreSQL, Kafka and S3 (devstack) ...");
        Devstack devstack = Devstack.start(o.stateDir().resolve("infra"), o.persistent());
        AppProcess coordinator = null;
        try {
            Endpoints e = devstack.endpoints();
            say.accept("starting the coordinator ...");
            coordinator = launchCoordinator(o, e, o.coordinatorPort() == 0 ? Ports.free() : o.coordinatorPort(),
                    o.stateDir().resolve("logs/coordinator.log"));
            say.accept("starting a worker (" + o.workerSettings().getOrDefault("sweepfarm.worker.lanes",
                    o.model() + " on " + o.device()) + ") ...");
            AppProcess worker = launchWorker(o, e, 1);
            coordinator.awaitReady(Duration.ofSeconds(120));
            worker.awaitReady(Duration.ofSeconds(120));
            return new LocalFarm(o, devstack, coordinator, worker);
        } catch (RuntimeException ex) {
            if (coordinator != null) {
                coordinator.close();
            }
            devstack.close();
            throw ex;
        }
    }

    private static AppProcess launchCoordinator(Options o, Endpoints e, int port, Path log) {
        // Loopback only and single-user: no API keys in this mode (AppProcess binds 127.0.0.1).
        Map<String, String> config = new LinkedHashMap<>(e.quarkusConfig());
        config.put("sweepfarm.coordinator.auth.enabled", "false");
        return AppProcess.launch("coordinator", o.home().resolve("coordinator/target/quarkus-app"), port, config, log);
    }

    /**
     * Kills the coordinator without warning (SIGKILL), as a crash would, and starts a new one on the same port with
     * the same data; returns once it is ready. For fault tests.
     */
    public synchronized AppProcess crashAndRestartCoordinator() throws InterruptedException {
        coordinator.kill();
        coordinatorStarts++;
        coordinator = launchCoordinator(options, devstack.endpoints(), coordinator.port(),
                options.stateDir().resolve("logs/coordinator-" + coordinatorStarts + ".log"));
        coordinator.awaitReady(Duration.ofSeconds(180));
        return coordinator;
    }

    private static AppProcess launchWorker(Options o, Endpoints e, int number) {
        return launchWorker(o, e, number, o.device());
    }

    private static AppProcess launchWorker(Options o, Endpoints e, int number, String device) {
        Map<String, String> config = new LinkedHashMap<>(e.quarkusConfig());
        config.keySet().removeIf(k -> k.startsWith("quarkus.datasource.")); // workers never read the database
        config.put("sweepfarm.worker.id", "local-" + number);
        config.put("sweepfarm.worker.model", o.model());
        config.put("sweepfarm.worker.model-path", o.modelDir().toAbsolutePath().toString());
        config.put("sweepfarm.worker.device", device);
        // One machine: notice a dead worker within seconds rather than Kafka's default 45 s.
        config.put("sweepfarm.worker.session-timeout", "PT8S");
        config.putAll(o.workerSettings());
        return AppProcess.launch("worker-" + number, o.home().resolve("gpu-worker/target/quarkus-app"), Ports.free(),
                config, o.stateDir().resolve("logs/worker-" + number + ".log"));
    }

    /** Starts one more worker lane for the same model and waits until it is ready. */
    public AppProcess addWorker() {
        AppProcess w = startWorker();
        w.awaitReady(Duration.ofSeconds(120));
        return w;
    }

    /** Launches one more worker lane for the same model without waiting for it; {@link #close()} stops it. */
    public synchronized AppProcess startWorker() {
        AppProcess w = launchWorker(options, devstack.endpoints(), workers.size() + 1);
        workers.add(w);
        return w;
    }

    /**
     * Launches one more worker on {@code device} (empty: not configured) without waiting for it: for checking how a
     * worker that cannot start reports it. The caller closes it.
     */
    public AppProcess launchWorkerOn(String device) {
        return launchWorker(options, devstack.endpoints(), 100 + workers.size(), device);
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

    public synchronized String coordinatorUrl() {
        return coordinator.baseUrl();
    }

    public Endpoints endpoints() {
        return devstack.endpoints();
    }

    public synchronized AppProcess coordinator() {
        return coordinator;
    }

    /** The first worker. */
    public synchronized AppProcess worker() {
        return workers.get(0);
    }

    /** Every worker started so far, in order, including those that were stopped or killed. */
    public synchronized List<AppProcess> workers() {
        return List.copyOf(workers);
    }

    /** PostgreSQL, Kafka and S3, each of which can be stopped and started again on its port with its data. */
    public Devstack devstack() {
        return devstack;
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops the workers, the coordinator and devstack, in that order; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        workers().forEach(AppProcess::close);
        coordinator().close();
        devstack.close();
    }
}
