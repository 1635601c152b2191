package io.sweepfarm.cli;

import io.sweepfarm.cli.local.LocalFarm;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
        try (LocalFarm farm = LocalFarm.start(o, System.out::println)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                farm.close();
            }));
            System.out.println("coordinator: " + farm.coordinatorUrl() + "  (Ctrl-C stops everything)");
            System.out.println("submit:      ./sweepfarm submit examples/demo-sweep.json --watch --coordinator "
                    + farm.coordinatorUrl());
            stop.await();
        }
        return 0;
    }
}
