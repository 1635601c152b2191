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
            throw new ProblemException.NotFound("no " + kind + " with id " + shown(raw));
        }
    }

    public static UUID uuid(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed(name, "must be a UUID, not '" + shown(raw) + "'");
        }
    }

    public static Integer integer(String name, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException e) {
            throw new ProblemException.Malformed(name, "must be an integer, not '" + shown(raw) + "'");
        }
    }

    /** 400 naming the first query parameter that is not in {@code allowed}. */
    public static void requireOnly(jakarta.ws.rs.core.UriInfo uri, java.util.Set<String> allowed) {
        for (var e : uri.getQueryParameters().entrySet()) {
            e.getValue().forEach(v -> requirePrintable(e.getKey(), v));
            if (!allowed.contains(e.getKey())) {
                throw new ProblemException.Malformed(e.getKey(), "is not a parameter of this endpoint"
                        + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    /** 400 for a value with a control character (NUL and friends): nothing downstream should see it. */
    public static void requirePrintable(String name, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(++i)))) {
                throw new ProblemException.Malformed(name, String.format(
                        "contains the control character or broken text U+%04X at position %d", (int) c, i));
            }
        }
    }

    /** A value as it may be shown back in a problem: at most 40 characters, control characters replaced. */
    public static String shown(String raw) {
        if (raw == null) {
            return "";
        }
        String s = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return s.replaceAll("\\p{Cntrl}", "?");
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
