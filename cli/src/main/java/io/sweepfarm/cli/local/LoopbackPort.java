package io.sweepfarm.cli.local;

import io.sweepfarm.devstack.Ports;
import java.util.function.Consumer;

/** Choosing the coordinator's port on 127.0.0.1 for the one-machine mode. */
public final class LoopbackPort {

    private LoopbackPort() {
    }

    /**
     * {@code requested} if it is free on 127.0.0.1, otherwise a free port, telling {@code say} which and why; 0 asks
     * for any free port.
     */
    public static int choose(int requested, Consumer<String> say) {
        if (requested == 0) {
            return Ports.free();
        }
        if (Ports.isFree(requested)) {
            return requested;
        }
        int other = Ports.free();
        say.accept("port " + requested + " on 127.0.0.1 is taken; using port " + other + " instead "
                + "(choose one with --port)");
        return other;
    }
}
