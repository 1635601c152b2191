package io.sweepfarm.cli;

import java.nio.file.Path;

/** The Sweepfarm checkout the CLI works in: {@code -Dsweepfarm.home}, set by the {@code sweepfarm} script. */
final class Home {

    private Home() {
    }

    static Path dir() {
        return Path.of(System.getProperty("sweepfarm.home", ".")).toAbsolutePath().normalize();
    }

    /**
     * Where {@code sweepfarm up} keeps its data by default, and where the other commands look for a running one:
     * {@code $SWEEPFARM_STATE_DIR} (or {@code -Dsweepfarm.state-dir}), else {@code .sweepfarm/local} in the checkout.
     */
    static Path upStateDir() {
        String dir = System.getProperty("sweepfarm.state-dir", System.getenv("SWEEPFARM_STATE_DIR"));
        return dir != null && !dir.isBlank() ? Path.of(dir).toAbsolutePath().normalize()
                : dir().resolve(".sweepfarm/local");
    }
}
