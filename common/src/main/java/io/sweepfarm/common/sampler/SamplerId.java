package io.sweepfarm.common.sampler;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The samplers a sweep may name. {@link #id()} is the wire and API spelling; {@link #displayName()} is the
 * name AUTOMATIC1111 prints in its infotext, so PNGs read back in A1111-compatible tools name the same sampler.
 */
public enum SamplerId {
    DDIM("ddim", "DDIM"),
    PLMS("plms", "PLMS"),
    LMS("lms", "LMS"),
    EULER("euler", "Euler"),
    EULER_A("euler_a", "Euler a"),
    HEUN("heun", "Heun"),
    DPMPP_2M("dpmpp_2m", "DPM++ 2M"),
    DPMPP_2M_KARRAS("dpmpp_2m_karras", "DPM++ 2M Karras"),
    DDPM("ddpm", "DDPM"),
    UNIPC("unipc", "UniPC");

    private final String id;
    private final String displayName;

    SamplerId(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** Lower-case identifier used in requests, messages and the database, e.g. {@code euler_a}. */
    public String id() {
        return id;
    }

    /** AUTOMATIC1111's name for the sampler, e.g. {@code Euler a}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Looks a sampler up by its {@link #id()} or its AUTOMATIC1111 {@link #displayName()} ("Euler a",
     * "DPM++ 2M Karras"), ignoring case; empty when no sampler has that name. Nothing is trimmed or cleaned: a
     * name with stray characters is not a sampler.
     */
    public static Optional<SamplerId> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(id) || s.displayName.equalsIgnoreCase(id))
                .findFirst();
    }

    /** Comma-separated list of every id, for error messages. */
    public static String allIds() {
        return Arrays.stream(values()).map(SamplerId::id).collect(Collectors.joining(", "));
    }
}
