package io.sweepfarm.common.image;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How A1111's hires fix enlarges the first pass: by its id on the wire, or A1111's name in a request. */
public enum HiresUpscaler {
    /** The latents, bilinearly (A1111 "Latent"). */
    LATENT("latent", "Latent"),
    /** The latents, nearest neighbour (A1111 "Latent (nearest)"). */
    LATENT_NEAREST("latent_nearest", "Latent (nearest)"),
    /** The decoded pixels with a Lanczos filter, encoded again (A1111 "Lanczos"; needs a VAE encoder). */
    LANCZOS("lanczos", "Lanczos");

    private final String id;
    private final String a1111Name;

    HiresUpscaler(String id, String a1111Name) {
        this.id = id;
        this.a1111Name = a1111Name;
    }

    /** The id images carry ({@code hires_upscaler}). */
    public String id() {
        return id;
    }

    /** A1111's name ("Hires upscaler" in the infotext). */
    public String a1111Name() {
        return a1111Name;
    }

    /** By id or A1111 name, ignoring case. */
    public static Optional<HiresUpscaler> of(String name) {
        return Arrays.stream(values()).filter(u -> u.id.equalsIgnoreCase(name) || u.a1111Name.equalsIgnoreCase(name))
                .findFirst();
    }

    /** The ids and A1111 names, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(u -> u.id + " (\"" + u.a1111Name + "\")")
                .collect(Collectors.joining(", "));
    }
}
