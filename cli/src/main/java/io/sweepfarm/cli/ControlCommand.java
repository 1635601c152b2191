package io.sweepfarm.cli;

import io.sweepfarm.common.api.SweepView;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sweepfarm pause|resume|cancel ID}. */
final class ControlCommand {

    private ControlCommand() {
    }

    private static int run(CoordinatorOption c, UUID id, String action) {
        SweepView v = c.client().control(id, action);
        System.out.printf("sweep %s is %s%n", v.id(), v.state());
        return 0;
    }

    @Command(name = "pause", description = "Stop releasing a sweep's images (released ones finish).")
    static final class Pause implements Callable<Integer> {
        @Parameters(index = "0", description = "Sweep id.")
        UUID id;
        @Mixin
        CoordinatorOption coordinator;

        @Override
        public Integer call() {
            return run(coordinator, id, "pause");
        }
    }

    @Command(name = "resume", description = "Resume a paused sweep.")
    static final class Resume implements Callable<Integer> {
        @Parameters(index = "0", description = "Sweep id.")
        UUID id;
        @Mixin
        CoordinatorOption coordinator;

        @Override
        public Integer call() {
            return run(coordinator, id, "resume");
        }
    }

    @Command(name = "cancel", description = "Cancel a sweep's unreleased images.")
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0", description = "Sweep id.")
        UUID id;
        @Mixin
        CoordinatorOption coordinator;

        @Override
        public Integer call() {
            return run(coordinator, id, "cancel");
        }
    }
}
