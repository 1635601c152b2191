package io.sweepfarm.engine.model;

import java.util.List;
import java.util.Objects;

/** Closing several resources (sessions, models) at once, none skipped when one fails. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes every non-null resource in order; the first failure is thrown after all were tried, later ones added
     * to it as suppressed.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable c : resources) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Closes what was opened before {@code failure} happened, adding any failure of that to it as suppressed, and
     * returns it for the caller to throw.
     */
    public static RuntimeException closeAfter(RuntimeException failure, List<? extends AutoCloseable> opened) {
        try {
            closeAll(opened.stream().filter(Objects::nonNull).toArray(AutoCloseable[]::new));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }
}
