package io.sweepfarm.coordinator.problem;

import java.util.List;

/**
 * Base of the domain exceptions that the API turns into problem documents. Messages are written for the API's
 * users: they end up in {@code detail}.
 */
public abstract class ProblemException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    /** The most field errors a problem lists; a request with more says how many there were. */
    public static final int MAX_LISTED_ERRORS = 50;

    protected ProblemException(String detail, List<Problem.FieldError> errors) {
        this(detail, errors, null);
    }

    /** {@code cause} is for the logs (what an operator needs); it never reaches the response. */
    protected ProblemException(String detail, List<Problem.FieldError> errors, Throwable cause) {
        super(detail, cause, false, false);
        this.errors = List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_LISTED_ERRORS)));
    }

    public abstract int status();

    /** Short, stable, human-readable summary of the problem type. */
    public abstract String title();

    /** Last segment of the problem type URI. */
    public abstract String slug();

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Problem toProblem() {
        String field = errors.isEmpty() ? null : errors.get(0).field();
        return new Problem("https://sweepfarm.io/problems/" + slug(), title(), status(), getMessage(), field,
                errors.isEmpty() ? null : errors, null);
    }

    /** 404: no sweep or image with that id, or nothing to download yet. */
    public static final class NotFound extends ProblemException {
        public NotFound(String detail) {
            super(detail, List.of());
        }

        @Override
        public int status() {
            return 404;
        }

        @Override
        public String title() {
            return "Not found";
        }

        @Override
        public String slug() {
            return "not-found";
        }
    }

    /** 409: the state machine does not allow the requested transition, or a concurrent change won. */
    public static final class Conflict extends ProblemException {
        public Conflict(String detail) {
            super(detail, List.of());
        }

        @Override
        public int status() {
            return 409;
        }

        @Override
        public String title() {
            return "Conflict with the current state";
        }

        @Override
        public String slug() {
            return "conflict";
        }
    }

    /** 422: well-formed request whose content is invalid. */
    public static final class Invalid extends ProblemException {
        public Invalid(List<Problem.FieldError> errors) {
            super(summary(errors), errors);
        }

        public Invalid(String field, String message) {
            this(List.of(new Problem.FieldError(field, message)));
        }

        private static String summary(List<Problem.FieldError> errors) {
            Problem.FieldError first = errors.get(0);
            String more = errors.size() > MAX_LISTED_ERRORS ? " (and " + (errors.size() - 1) + " more; errors lists the "
                    + "first " + MAX_LISTED_ERRORS + ")" : errors.size() > 1 ? " (and " + (errors.size() - 1)
                    + " more, see errors)" : "";
            return first.field() + ": " + first.message() + more;
        }

        @Override
        public int status() {
            return 422;
        }

        @Override
        public String title() {
            return "Invalid request";
        }

        @Override
        public String slug() {
            return "invalid-request";
        }
    }

    /** 400: the body is not JSON, or a query parameter cannot be parsed. */
    public static final class Malformed extends ProblemException {
        public Malformed(String field, String message) {
            super(field == null ? message : field + ": " + message,
                    field == null ? List.of() : List.of(new Problem.FieldError(field, message)));
        }

        @Override
        public int status() {
            return 400;
        }

        @Override
        public String title() {
            return "Malformed request";
        }

        @Override
        public String slug() {
            return "malformed-request";
        }
    }

    /** 415: the body's content type is not one the endpoint reads. */
    public static final class UnsupportedMediaType extends ProblemException {
        public UnsupportedMediaType(String detail, String accepted) {
            super(detail + "; send " + accepted, List.of(new Problem.FieldError("Content-Type", "must be "
                    + accepted)));
        }

        @Override
        public int status() {
            return 415;
        }

        @Override
        public String title() {
            return "Unsupported media type";
        }

        @Override
        public String slug() {
            return "unsupported-media-type";
        }
    }

    /** 401: a write (or, when reads are protected, a read) without a valid API key. */
    public static final class Unauthorized extends ProblemException {
        public Unauthorized(String field, String detail) {
            super(detail, List.of(new Problem.FieldError(field, detail)));
        }

        @Override
        public int status() {
            return 401;
        }

        @Override
        public String title() {
            return "Unauthorized";
        }

        @Override
        public String slug() {
            return "unauthorized";
        }
    }

    /**
     * 503: something the request needs is unreachable or saturated; the client should retry after
     * {@link #retryAfterSeconds()}. {@code dependency} names it ({@code database}, {@code storage}) when it is one.
     */
    public static final class Unavailable extends ProblemException {
        private final String dependency;
        private final int retryAfterSeconds;

        public Unavailable(String detail, String dependency, int retryAfterSeconds) {
            this(detail, dependency, retryAfterSeconds, null);
        }

        public Unavailable(String detail, String dependency, int retryAfterSeconds, Throwable cause) {
            super(detail, List.of(), cause);
            this.dependency = dependency;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public String dependency() {
            return dependency;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        @Override
        public Problem toProblem() {
            Problem p = super.toProblem();
            return new Problem(p.type(), p.title(), p.status(), p.detail(), null, null, dependency);
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String title() {
            return "Service unavailable";
        }

        @Override
        public String slug() {
            return "service-unavailable";
        }
    }
}
