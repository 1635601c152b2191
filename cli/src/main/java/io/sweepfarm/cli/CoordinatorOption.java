package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.StateLock;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/** The {@code --coordinator} option shared by the commands that talk to a running coordinator. */
final class CoordinatorOption {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--coordinator", paramLabel = "URL", description = "Coordinator base URL (default: "
            + "$SWEEPFARM_COORDINATOR, else the one a running 'sweepfarm up' of this checkout serves, else "
            + DEFAULT_URL + ").")
    String url;

    SweepfarmClient client() {
        return new SweepfarmClient(resolve());
    }

    /** The coordinator's URL: the option, the environment, a running {@code up}, or the default; checked. */
    String resolve() {
        if (url != null) {
            return checked(url, "--coordinator");
        }
        String env = System.getenv("SWEEPFARM_COORDINATOR");
        if (env != null && !env.isBlank()) {
            return checked(env, "SWEEPFARM_COORDINATOR");
        }
        return StateLock.holder(Home.upStateDir()).flatMap(StateLock.Holder::coordinatorUrl).orElse(DEFAULT_URL);
    }

    static String checked(String value, String source) {
        String v = value.trim();
        try {
            URI uri = new URI(v);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return v;
            }
        } catch (URISyntaxException e) {
            // fall through to the one-sentence refusal
        }
        String example = v.contains("://") ? DEFAULT_URL : "http://" + v;
        return refuse(source + " '" + v + "' is not an http(s) URL with a host; write it like " + example);
    }

    private static String refuse(String message) {
        throw new CliError(message);
    }
}
