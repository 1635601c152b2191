package io.sweepfarm.cli;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweepfarm sweeps}: the most recent sweeps with their state and progress. */
@Command(name = "sweeps", description = "List the most recent sweeps with their state and progress.")
final class SweepsCommand implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "50", description = "How many sweeps, newest first (default: "
            + "${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    CoordinatorOption coordinator;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CliError("--limit must be at least 1, e.g. --limit 20");
        }
        List<SweepView> sweeps = coordinator.client().sweeps(limit);
        if (sweeps.isEmpty()) {
            System.out.println("no sweeps yet; submit one with ./sweepfarm submit examples/demo-sweep.json");
            return 0;
        }
        System.out.printf("%-36s  %-9s  %-12s  %15s  %6s  %-20s  %s%n", "ID", "STATE", "MODEL", "DONE/IMAGES",
                "FAILED", "CREATED", "NAME");
        for (SweepView v : sweeps) {
            System.out.printf("%-36s  %-9s  %-12s  %15s  %6d  %-20s  %s%n", v.id(), v.state(), printable(v.model()),
                    v.done() + "/" + v.imageCount(), v.counts().getOrDefault(ImageState.FAILED, 0L),
                    v.createdAt() == null ? "" : v.createdAt().toString().replaceFirst("\\.\\d+Z$", "Z"),
                    printable(v.name()));
        }
        return 0;
    }

    /** User text with control characters shown as '?', so that a name cannot drive the terminal. */
    static String printable(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }
}
