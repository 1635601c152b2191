package io.sweepfarm.cli;

import picocli.CommandLine;
import io.sweepfarm.common.api.SweepView;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The {@code sweepfarm} command. */
@Command(name = "sweepfarm", mixinStandardHelpOptions = true, version = "sweepfarm 0.1.0",
        description = "Distributed batch renderer for Stable Diffusion parameter sweeps.",
        subcommands = {DemoCommand.class, UpCommand.class, SubmitCommand.class, StatusCommand.class,
            ImagesCommand.class, WorkersCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: API errors print one line, not a stack trace. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof io.sweepfarm.cli.client.SweepfarmClient.ApiException) {
                cmd.getErr().println("sweepfarm: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Command(name = "pause", description = "Stop releasing a sweep's images (released ones finish).")
    int pause(@Parameters(paramLabel = "ID", description = "Sweep id.") UUID id, @Mixin CoordinatorOption c) {
        return control(c, id, "pause");
    }

    @Command(name = "resume", description = "Resume a paused sweep.")
    int resume(@Parameters(paramLabel = "ID", description = "Sweep id.") UUID id, @Mixin CoordinatorOption c) {
        return control(c, id, "resume");
    }

    @Command(name = "cancel", description = "Cancel a sweep's unreleased images.")
    int cancel(@Parameters(paramLabel = "ID", description = "Sweep id.") UUID id, @Mixin CoordinatorOption c) {
        return control(c, id, "cancel");
    }

    @Command(name = "export", description = "Download a sweep's rendered images as a dataset (imagefolder zip or "
            + "webdataset tar).")
    int export(@Parameters(paramLabel = "ID", description = "Sweep id.") UUID id,
            @picocli.CommandLine.Option(names = "--format", defaultValue = "imagefolder",
                    description = "imagefolder (zip with metadata.jsonl) or webdataset (tar).") String format,
            @picocli.CommandLine.Option(names = {"-o", "--output"}, required = true,
                    description = "File to write.") java.nio.file.Path output,
            @Mixin CoordinatorOption c) {
        c.client().downloadTo("/api/v1/sweeps/" + id + "/export?format=" + format, output);
        System.out.printf("wrote %s%n", output);
        return 0;
    }

    private static int control(CoordinatorOption c, UUID id, String action) {
        SweepView v = c.client().control(id, action);
        System.out.printf("sweep %s is %s%n", v.id(), v.state());
        return 0;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
