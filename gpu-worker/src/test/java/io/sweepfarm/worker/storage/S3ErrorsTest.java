package io.sweepfarm.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.worker.storage.StorageException.Kind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3ErrorsTest {

    @ParameterizedTest(name = "HTTP {0} {1} is {2}")
    @CsvSource({
            // refused for this object: the same request fails again
            "400, InvalidURI, REFUSED", "400, MetadataTooLarge, REFUSED", "400, KeyTooLongError, REFUSED",
            "400, InvalidArgument, REFUSED", "413, EntityTooLarge, REFUSED", "431, InvalidRequest, REFUSED",
            "404, NoSuchKey, REFUSED", "405, MethodNotAllowed, REFUSED",
            // the deployment, fixed by an operator for every object at once: waited out
            "403, AccessDenied, UNAVAILABLE", "403, InvalidAccessKeyId, UNAVAILABLE",
            "403, SignatureDoesNotMatch, UNAVAILABLE", "403, RequestTimeTooSkewed, UNAVAILABLE",
            "400, ExpiredToken, UNAVAILABLE", "400, AuthorizationHeaderMalformed, UNAVAILABLE",
            "404, NoSuchBucket, UNAVAILABLE", "301, PermanentRedirect, UNAVAILABLE", "401, , UNAVAILABLE",
            // try again later
            "503, SlowDown, UNAVAILABLE", "503, ServiceUnavailable, UNAVAILABLE", "400, RequestTimeout, UNAVAILABLE",
            "408, , UNAVAILABLE", "429, , UNAVAILABLE", "409, OperationAborted, UNAVAILABLE",
            // server faults: an outage, or this object's problem if S3 serves others
            "500, InternalError, SERVER_FAULT", "502, , SERVER_FAULT", "504, , SERVER_FAULT",
            // damaged transfers
            "400, BadDigest, UNCERTAIN", "400, IncompleteBody, UNCERTAIN"})
    void anS3ErrorAnswerIsSortedByWhatARetryCanDo(int status, String code, Kind kind) {
        assertThat(S3Errors.classify(status, code)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"refused, UNAVAILABLE", "timeout, UNAVAILABLE", "broken, SERVER_FAULT", "invalid, REFUSED",
            "other, UNCERTAIN"})
    void aClientFailureIsSortedByWhatARetryCanDo(String failure, Kind kind) {
        Exception e = switch (failure) {
            case "refused" -> new ConnectException("Connection refused");
            case "timeout" -> new SocketTimeoutException("timeout");
            case "broken" -> new EOFException("unexpected end of stream");
            case "invalid" -> new IllegalArgumentException("object name must not be empty");
            default -> new IllegalStateException("something else");
        };
        StorageException s = S3Errors.wrap("store a/b.png", "bucket", e);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.getMessage()).contains("store a/b.png");
    }
}
