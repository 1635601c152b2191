package io.sweepfarm.coordinator.problem;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Recognises the failures a client causes by going away mid-request or mid-response (a closed browser tab, a killed
 * {@code curl}): they are normal events, logged at DEBUG, never an ERROR with a stack trace.
 */
public final class ClientGone {

    private ClientGone() {
    }

    public static boolean is(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if ((t instanceof IOException || t.getClass().getName().startsWith("io.vertx.")
                    || t.getClass().getName().startsWith("io.netty.")) && (m.contains("connection reset")
                            || m.contains("broken pipe") || m.contains("connection was closed")
                            || m.contains("connection closed") || m.contains("has been closed") || m.contains("stream reset")
                            || m.contains("response has already been written") || m.contains("channel closed"))) {
                return true;
            }
        }
        return false;
    }
}
