package io.sweepfarm.coordinator.health;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.sql.SQLException;
import java.util.Locale;

/** Tells, from an exception alone, whether a dependency was unreachable. Pure; see {@link Dependencies}. */
final class Outages {

    private static final int MAX_DEPTH = 20;

    private Outages() {
    }

    /**
     * The dependency the failure shows unreachable: a 503 already naming one, or a database error of SQLSTATE class
     * 08 (connection exception), 57P (the server shut down or is starting), 53300 (too many connections), a pool
     * that could not hand out a connection, or Hibernate's connection failure. Null for anything else.
     */
    static Dependency classify(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (t instanceof ProblemException.Unavailable u && u.dependency() != null) {
                return Dependency.of(u.dependency());
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                    return Dependency.DATABASE;
                }
                String m = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
                if (m.contains("acquisition timeout") || m.contains("connection has been closed")
                        || m.contains("connection attempt failed")) {
                    return Dependency.DATABASE;
                }
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return Dependency.DATABASE;
            }
        }
        return null;
    }

    /** Whether the failure came from the database at all (so that a probe can tell an outage from a bug). */
    static boolean involvesDatabase(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            String name = t.getClass().getName();
            if (t instanceof SQLException || name.startsWith("org.hibernate.") || name.startsWith("jakarta.persistence.")
                    || name.startsWith("jakarta.transaction.") || name.startsWith("io.agroal.")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, for an operator's log line. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < MAX_DEPTH) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
