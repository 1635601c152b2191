package io.sweepfarm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sweepfarm} command. */
@Command(name = "sweepfarm", mixinStandardHelpOptions = true, version = "sweepfarm 0.1.0",
        description = "Distributed batch renderer for Stable Diffusion parameter sweeps.",
        subcommands = {DemoCommand.class, UpCommand.class, SubmitCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
