package io.sweepfarm.cli;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepView;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sweepfarm status ID}: a sweep's state and counts, once or until it ends. */
@Command(name = "status", description = "Show a sweep's progress.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Sweep id.")
    UUID id;

    @Option(names = "--watch", description = "Keep showing progress until the sweep ends.")
    boolean watch;

    @Mixin
    CoordinatorOption coordinator;

    @Override
    public Integer call() throws Exception {
        SweepView v = watch ? Watch.untilDone(coordinator.client(), id, new Progress(System.out))
                : coordinator.client().sweep(id);
        System.out.printf("sweep %s '%s' (model %s, priority %d): %s%n", v.id(), v.name(), v.model(), v.priority(),
                v.state());
        for (ImageState s : ImageState.values()) {
            System.out.printf("  %-10s %d%n", s, v.counts().getOrDefault(s, 0L));
        }
        return 0;
    }
}
