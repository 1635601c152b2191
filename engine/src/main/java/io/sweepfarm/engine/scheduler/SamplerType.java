package io.sweepfarm.engine.scheduler;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The samplers the engine runs, each a diffusers scheduler (see {@link Samplers} for the mapping). {@link #id()} is
 * the lower-case spelling callers use (the same ids as sweeps use, e.g. {@code euler_a}).
 */
public enum SamplerType {
    DDIM("ddim"),
    PLMS("plms"),
    LMS("lms"),
    EULER("euler"),
    EULER_A("euler_a"),
    HEUN("heun"),
    DPMPP_2M("dpmpp_2m"),
    DPMPP_2M_KARRAS("dpmpp_2m_karras"),
    DDPM("ddpm"),
    UNIPC("unipc");

    private final String id;

    SamplerType(String id) {
        this.id = id;
    }

    /** Lower-case identifier, e.g. {@code euler_a}. */
    public String id() {
        return id;
    }

    /** The sampler with this {@link #id()}, ignoring case and surrounding blanks; empty when none has it. */
    public static Optional<SamplerType> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
    }

    /** Comma-separated list of every id, for error messages. */
    public static String allIds() {
        return Arrays.stream(values()).map(SamplerType::id).collect(Collectors.joining(", "));
    }
}
