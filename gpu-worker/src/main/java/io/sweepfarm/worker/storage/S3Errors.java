package io.sweepfarm.worker.storage;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.sweepfarm.worker.storage.StorageException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Sorts S3 failures into what a retry can fix. An error S3 answers for one request (a 4xx) fails that object; an
 * outage (no answer, a timeout, 503, throttling) and anything an operator fixes for every object at once
 * (credentials, clock skew, bucket, region) is waited out; a server fault (500, bad gateway, broken connection) is
 * an outage unless S3 serves other requests meanwhile; a damaged transfer is retried a few times.
 */
final class S3Errors {

    /** 4xx codes that concern the deployment, not the object: every request fails until an operator acts. */
    private static final Set<String> OPERATOR_CODES = Set.of("AccessDenied", "AccountProblem", "AllAccessDisabled",
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "RequestTimeTooSkewed", "ExpiredToken", "InvalidToken",
            "TokenRefreshRequired", "AuthorizationHeaderMalformed", "InvalidSecurity", "MissingSecurityHeader",
            "NotSignedUp", "NoSuchBucket", "InvalidBucketName", "InvalidBucketState", "PermanentRedirect",
            "TemporaryRedirect", "Redirect", "IllegalLocationConstraintException", "InvalidRegion", "QuotaExceeded",
            "XMinioAdminBucketQuotaExceeded", "XMinioStorageFull", "XMinioServerNotInitialized");

    /** Codes that mean "try again later". */
    private static final Set<String> TRANSIENT_CODES = Set.of("RequestTimeout", "SlowDown", "OperationAborted",
            "ServiceUnavailable", "TooManyRequests", "RequestLimitExceeded", "Throttling");

    /** The bytes arrived damaged or short: usually the network, but a bad stream would repeat it. */
    private static final Set<String> DAMAGED_CODES = Set.of("BadDigest", "IncompleteBody",
            "XAmzContentSHA256Mismatch", "InvalidDigest");

    private S3Errors() {
    }

    /** What retrying can do about an S3 error answer with this HTTP status and error code. */
    static Kind classify(int status, String code) {
        if (code != null && OPERATOR_CODES.contains(code)) {
            return Kind.UNAVAILABLE;
        }
        if (code != null && TRANSIENT_CODES.contains(code)) {
            return Kind.UNAVAILABLE;
        }
        if (code != null && DAMAGED_CODES.contains(code)) {
            return Kind.UNCERTAIN;
        }
        if (status == 503 || status == 507 || status == 408 || status == 429 || status == 401 || status == 403) {
            return Kind.UNAVAILABLE;
        }
        if (status >= 500 || "InternalError".equals(code)) {
            return Kind.SERVER_FAULT;
        }
        if (status >= 300 && status < 400) {
            return Kind.UNAVAILABLE; // a redirect: the endpoint or region is wrong for the bucket
        }
        if (status >= 400) {
            return Kind.REFUSED;
        }
        return Kind.UNCERTAIN;
    }

    /** Wraps a client failure of {@code action} (e.g. "store sweeps/…png") in a classified {@link StorageException}. */
    static StorageException wrap(String action, String bucket, Exception e) {
        if (e instanceof StorageException s) {
            return s;
        }
        if (e instanceof ErrorResponseException r) {
            int status = r.response() == null ? 0 : r.response().code();
            String code = r.errorResponse() == null ? null : r.errorResponse().code();
            Kind kind = classify(status, code);
            String label = (code == null ? "error" : code) + " (HTTP " + status + ")";
            return new StorageException("S3 " + (kind == Kind.REFUSED ? "refused" : "failed") + " to " + action
                    + " in bucket '" + bucket + "': " + label, kind, label, e);
        }
        if (e instanceof ServerException s) {
            String label = "HTTP " + s.statusCode();
            return new StorageException("S3 failed to " + action + ": " + label, classify(s.statusCode(), null),
                    label, e);
        }
        if (e instanceof InvalidResponseException) {
            // Not an S3 answer at all: typically a proxy or load balancer error page.
            return new StorageException("S3 gave no valid answer to " + action + " (a proxy in front of it?)",
                    Kind.SERVER_FAULT, "InvalidResponse", e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException
                || e instanceof SocketTimeoutException) {
            return new StorageException("S3 unreachable to " + action + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), Kind.UNAVAILABLE,
                    e.getClass().getSimpleName(), e);
        }
        if (e instanceof IOException) {
            return new StorageException("S3 connection failed to " + action + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), Kind.SERVER_FAULT,
                    e.getClass().getSimpleName(), e);
        }
        if (e instanceof InsufficientDataException) {
            return new StorageException("S3 transfer cut short to " + action, Kind.UNCERTAIN, "InsufficientData", e);
        }
        if (e instanceof IllegalArgumentException) {
            // The client refused the request before sending it (e.g. an invalid object name).
            return new StorageException("S3 client refused to " + action + ": " + e.getMessage(), Kind.REFUSED,
                    "IllegalArgument", e);
        }
        return new StorageException("S3 failed to " + action + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), Kind.UNCERTAIN, e.getClass().getSimpleName(), e);
    }
}
