package io.sweepfarm.cli;

import io.sweepfarm.cli.local.LocalFarm;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sweepfarm up}: the one-machine mode, kept running with persistent data until Ctrl-C. */
@Command(name = "up", description = "Run devstack, the coordinator and a worker on this machine until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--model-path", description = "Model folder (diffusers/optimum ONNX layout); default: the "
            + "generated tiny model.")
    Path modelPath;

    @Option(names = "--model", defaultValue = "tiny", description = "Model name the worker serves.")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "Worker device: cpu or cuda:N.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path home = Home.dir();
        Path model = modelPath != null ? modelPath : home.resolve(".sweepfarm/models/tiny");
        LocalFarm.Options o = new LocalFarm.Options(home, home.resolve(".sweepfarm/local"), true, this.model, model,
                device);
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
            System.out.println("coordinator: " + farm.coordinatorUrl() + "  (Ctrl-C stops everything)");
            System.out.println("submit:      ./sweepfarm submit examples/demo-sweep.json --watch --coordinator "
                    + farm.coordinatorUrl());
            stop.await();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
