package io.sweepfarm.cli;

import java.nio.file.Path;

/** The Sweepfarm checkout the CLI works in: {@code -Dsweepfarm.home}, set by the {@code sweepfarm} script. */
final class Home {

    private Home() {
    }

    static Path dir() {
        return Path.of(System.getProperty("sweepfarm.home", ".")).toAbsolutePath().normalize();
    }
}
