package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.SweepView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** The {@code sweepfarm} command. */
@Command(name = "sweepfarm", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "sweepfarm 0.1.0",
        description = "Distributed batch renderer for Stable Diffusion parameter sweeps.",
        subcommands = {DemoCommand.class, UpCommand.class, SubmitCommand.class, StatusCommand.class,
            SweepsCommand.class, ImagesCommand.class, WorkersCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: every error is one line saying what to do, never a stack trace
     * (set {@code SWEEPFARM_DEBUG=1} to see one for an unexpected error).
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(UUID.class, v -> {
            try {
                return UUID.fromString(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + v + "' is not a sweep id (a UUID such as "
                        + "3f2b1c9e-8d4a-4e7b-9c1d-2a5e6f708192, as 'sweepfarm sweeps' lists them)");
            }
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("sweepfarm: " + e.getMessage() + "; see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help'");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("sweepfarm: " + oneLine(e));
            if (!(e instanceof CliError || e instanceof SweepfarmClient.ApiException)
                    && System.getenv("SWEEPFARM_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    /** The sentence printed for an error that ended a command. */
    static String oneLine(Exception e) {
        if (e instanceof CliError || e instanceof SweepfarmClient.ApiException) {
            return e.getMessage();
        }
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof NoSuchFileException n) {
            return n.getFile() + " does not exist; check the path";
        }
        if (cause instanceof AccessDeniedException a) {
            return "no permission to use " + a.getFile() + "; check its permissions or choose another path";
        }
        if (cause instanceof IOException io) {
            return "input/output error: " + io.getMessage() + "; check the files and paths given";
        }
        return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage() + "; please report it with the "
                + "command you ran (SWEEPFARM_DEBUG=1 shows the stack trace)";
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
                    description = "File to write.") Path output,
            @Mixin CoordinatorOption c) {
        Path dir = output.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new CliError("the folder " + dir + " for --output does not exist; create it or choose another file");
        }
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
