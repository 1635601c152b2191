package io.sweepfarm.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks that also hold for processes this JVM did not start. */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether {@code pid} runs. A process that has exited but is not yet reaped (a zombie: the postmaster's parent
     * is init, which may reap late) counts as gone.
     */
    public static boolean isAlive(long pid) {
        if (pid <= 0 || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return !s.substring(s.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return !Files.isDirectory(Path.of("/proc")) || Files.exists(stat);
        }
    }
}
