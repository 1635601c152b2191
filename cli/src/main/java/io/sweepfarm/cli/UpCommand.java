package io.sweepfarm.cli;

import io.sweepfarm.cli.local.LocalFarm;
import io.sweepfarm.cli.local.LoopbackPort;
import io.sweepfarm.cli.local.StateLock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweepfarm up}: the one-machine mode, kept running with persistent data until Ctrl-C. The coordinator listens
 * on 127.0.0.1 only (no API keys in this mode), on port 8080 unless that is taken.
 */
@Command(name = "up", description = "Run devstack, the coordinator and a worker on this machine until Ctrl-C; the "
        + "coordinator listens on 127.0.0.1 only.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--model-path", description = "Model folder (diffusers/optimum ONNX layout); default: the "
            + "generated tiny model.")
    Path modelPath;

    @Option(names = "--model", defaultValue = "tiny", description = "Model name the worker serves.")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "Worker device: cpu or cuda:N.")
    String device;

    @Option(names = "--port", defaultValue = "${env:SWEEPFARM_PORT:-8080}", description = "Coordinator port on "
            + "127.0.0.1 (default: $SWEEPFARM_PORT or 8080); if it is taken a free one is used and shown.")
    int port;

    @Option(names = "--state-dir", description = "Where data and logs are kept (default: $SWEEPFARM_STATE_DIR or "
            + ".sweepfarm/local in the checkout).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        Path home = Home.dir();
        Path state = stateDir != null ? stateDir.toAbsolutePath().normalize() : Home.upStateDir();
        try (StateLock lock = StateLock.tryAcquire(state, "sweepfarm up").orElseThrow(() -> alreadyRunning(state))) {
            Path model = modelPath != null ? modelPath : home.resolve(".sweepfarm/models/tiny");
            int chosen = LoopbackPort.choose(port, System.out::println);
            LocalFarm.Options o = new LocalFarm.Options(home, state, true, this.model, model, device, chosen);
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            // Ctrl-C: let the main thread close everything in order, and keep the JVM alive until it has.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sweepfarm-up-stop"));
            try (LocalFarm farm = LocalFarm.start(o, System.out::println)) {
                lock.publish("sweepfarm up", farm.coordinatorUrl());
                System.out.println("Sweepfarm is up: " + farm.coordinatorUrl() + "  (data and logs in " + state
                        + "; Ctrl-C stops everything)");
                System.out.println("try:  ./sweepfarm submit examples/demo-sweep.json --watch");
                stop.await();
            } finally {
                stopped.countDown();
            }
        }
        return 0;
    }

    static CliError alreadyRunning(Path state) {
        String who = StateLock.holder(state).map(h -> " (pid " + h.pid() + h.coordinatorUrl().map(u -> ", " + u)
                .orElse("") + ")").orElse("");
        return new CliError("another sweepfarm up or demo is already running on " + state + who
                + "; stop it with Ctrl-C, or give this one its own --state-dir");
    }
}
