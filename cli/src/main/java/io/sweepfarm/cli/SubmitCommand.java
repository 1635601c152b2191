package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.SweepView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sweepfarm submit spec.json}: submits a sweep and, with {@code --watch}, shows its progress. */
@Command(name = "submit", description = "Submit a sweep (JSON, or YAML with a .yaml/.yml name) to a coordinator.")
final class SubmitCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Sweep file, JSON or YAML (the CreateSweepRequest format).")
    Path spec;

    @Mixin
    CoordinatorOption coordinator;

    @Option(names = "--watch", description = "Show progress until the sweep ends.")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(spec)) {
            throw new CliError("the sweep file " + spec + " does not exist; give the path of a sweep JSON file, e.g. "
                    + "examples/demo-sweep.json");
        }
        SweepfarmClient client = coordinator.client();
        String name = spec.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String type = name.endsWith(".yaml") || name.endsWith(".yml") ? "application/yaml" : "application/json";
        CreateSweepResponse created = client.createSweep(Files.readAllBytes(spec), type);
        System.out.printf("sweep %s accepted: %d images%n", created.id(), created.imageCount());
        if (watch) {
            SweepView v = Watch.untilDone(client, created.id(), new Progress(System.out));
            return v.counts().getOrDefault(io.sweepfarm.common.api.ImageState.FAILED, 0L) == 0 ? 0 : 1;
        }
        return 0;
    }
}
