package io.sweepfarm.coordinator.problem;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document as the API returns it ({@code application/problem+json}). {@code field} repeats the
 * first offending field or parameter so that simple clients need not read {@code errors}; {@code dependency} names
 * what is unreachable in a 503 ({@code database}, {@code storage}).
 */
@Schema(name = "Problem", description = "An RFC 9457 problem document (application/problem+json)")
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors,
        String dependency) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {
        this(type, title, status, detail, field, errors, null);
    }

    /** A problem about the request as a whole or about one {@code field} (may be null), typed by its status. */
    public static Problem of(int status, String detail, String field) {
        String title = switch (status) {
            case 400 -> "Malformed request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 411 -> "Length required";
            case 413 -> "Request body too large";
            case 414 -> "Request URI too long";
            case 415 -> "Unsupported media type";
            case 422 -> "Invalid request";
            case 431 -> "Request headers too large";
            case 503 -> "Service unavailable";
            default -> status >= 500 ? "Internal error" : "Request rejected";
        };
        String slug = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return new Problem("https://sweepfarm.io/problems/" + slug, title, status, detail, field,
                field == null ? null : List.of(new FieldError(field, detail)));
    }

    /** One offending field (JSON path such as {@code cfg_scales[1]}) or query parameter, and what is wrong with it. */
    @Schema(name = "FieldError")
    public record FieldError(String field, String message) {
    }
}
