package io.sweepfarm.coordinator.problem;

import java.util.List;

/**
 * An RFC 9457 problem document as the API returns it ({@code application/problem+json}). {@code field} repeats the
 * first offending field or parameter so that simple clients need not read {@code errors}.
 */
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field (JSON path such as {@code cfg_scales[1]}) or query parameter, and what is wrong with it. */
    public record FieldError(String field, String message) {
    }
}
