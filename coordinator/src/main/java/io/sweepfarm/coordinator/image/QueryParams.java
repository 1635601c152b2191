package io.sweepfarm.coordinator.image;

import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.UUID;

/** Parses query and path parameters, failing with a 400 problem that names the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** A path id that is not a UUID cannot name anything: 404, like an unknown one. */
    public static UUID pathId(String kind, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ProblemException.NotFound("no " + kind + " with id " + raw);
        }
    }

    public static UUID uuid(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed(name, "must be a UUID, not '" + raw + "'");
        }
    }

    public static Integer integer(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw new ProblemException.Malformed(name, "must be an integer, not '" + raw + "'");
        }
    }

    public static Long longValue(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Long.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw new ProblemException.Malformed(name, "must be an integer, not '" + raw + "'");
        }
    }

    public static Double finite(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProblemException.Malformed(name, "must be a finite number, not '" + raw + "'");
        }
    }

    public static int limit(String raw, CoordinatorConfig config) {
        Integer limit = integer("limit", raw);
        if (limit == null) {
            return config.defaultPageSize();
        }
        if (limit < 1 || limit > config.maxPageSize()) {
            throw new ProblemException.Malformed("limit", "must be between 1 and " + config.maxPageSize()
                    + ", not " + limit);
        }
        return limit;
    }
}
