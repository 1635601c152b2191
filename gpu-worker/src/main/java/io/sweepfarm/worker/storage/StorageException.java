package io.sweepfarm.worker.storage;

/**
 * An object-storage request failed. {@link #kind()} says whether retrying can help, so that one object S3 refuses
 * fails only its image while an outage holds the work back until S3 returns.
 */
public class StorageException extends RuntimeException {

    /** What a retry can do about a failure. */
    public enum Kind {
        /** S3 refused this request for this object; the same request will be refused again (e.g. HTTP 400). */
        REFUSED,
        /**
         * S3 cannot serve anyone right now: unreachable, timing out, 503, throttling, or a setting an operator must
         * fix (credentials, bucket, region). Retrying after a pause helps once it is over.
         */
        UNAVAILABLE,
        /**
         * A server fault on this request (a 500, a bad gateway, a connection broken mid-transfer): an outage if S3
         * fails for everyone, but a problem of this object if S3 serves other requests meanwhile.
         */
        SERVER_FAULT,
        /** Neither clearly permanent nor clearly an outage (e.g. a corrupted transfer): retry a bounded number of times. */
        UNCERTAIN
    }

    private final Kind kind;
    private final String code;

    /**
     * @param kind  whether retrying can help
     * @param code  S3 error code and HTTP status, or the failure's type, short, for logs and results
     */
    public StorageException(String message, Kind kind, String code, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    /** A failure of unknown nature, retried a bounded number of times. */
    public StorageException(String message, Throwable cause) {
        this(message, Kind.UNCERTAIN, cause == null ? "unknown" : cause.getClass().getSimpleName(), cause);
    }

    public Kind kind() {
        return kind;
    }

    /** E.g. {@code InvalidURI (HTTP 400)} or {@code ConnectException}. */
    public String code() {
        return code;
    }
}
