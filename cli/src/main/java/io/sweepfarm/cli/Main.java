package io.sweepfarm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sweepfarm} command. */
@Command(name = "sweepfarm", mixinStandardHelpOptions = true, version = "sweepfarm 0.1.0",
        description = "Distributed batch renderer for Stable Diffusion parameter sweeps.",
        subcommands = {DemoCommand.class, UpCommand.class, SubmitCommand.class, StatusCommand.class,
            ImagesCommand.class, ControlCommand.Pause.class, ControlCommand.Resume.class, ControlCommand.Cancel.class,
            CommandLine.HelpCommand.class})
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

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
