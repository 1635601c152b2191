package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import picocli.CommandLine.Option;

/** The {@code --coordinator} option shared by the commands that talk to a running coordinator. */
final class CoordinatorOption {

    @Option(names = "--coordinator", defaultValue = "${env:SWEEPFARM_COORDINATOR:-http://127.0.0.1:8080}",
            description = "Coordinator base URL (default: $SWEEPFARM_COORDINATOR or ${DEFAULT-VALUE}).")
    String url;

    SweepfarmClient client() {
        return new SweepfarmClient(url);
    }
}
