package io.sweepfarm.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a ControlNet adds to a U-Net: one residual per down-block output and one for the mid block, each
 * [batch, channels, h, w] at its block's resolution. Arrays are owned by this record's creator; {@link #plus}
 * returns new ones.
 */
public record Residuals(List<Latents> down, Latents mid) {

    public Residuals {
        down = List.copyOf(down);
    }

    /** Element-wise sum, as diffusers sums the residuals of several ControlNets. */
    public Residuals plus(Residuals other) {
        if (other.down.size() != down.size()) {
            throw new IllegalArgumentException("ControlNets disagree on the number of residuals: " + down.size()
                    + " and " + other.down.size());
        }
        List<Latents> sum = new ArrayList<>(down.size());
        for (int i = 0; i < down.size(); i++) {
            sum.add(add(down.get(i), other.down.get(i)));
        }
        return new Residuals(sum, add(mid, other.mid));
    }

    /** Residuals of the same shapes, all zero (a U-Net with residual inputs run without ControlNet). */
    public Residuals zeros() {
        List<Latents> z = new ArrayList<>(down.size());
        for (Latents d : down) {
            z.add(new Latents(new float[d.data().length], d.batch(), d.channels(), d.height(), d.width()));
        }
        return new Residuals(z, new Latents(new float[mid.data().length], mid.batch(), mid.channels(), mid.height(),
                mid.width()));
    }

    private static Latents add(Latents a, Latents b) {
        if (a.data().length != b.data().length) {
            throw new IllegalArgumentException("ControlNet residual shapes differ");
        }
        float[] out = new float[a.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.data()[i] + b.data()[i];
        }
        return new Latents(out, a.batch(), a.channels(), a.height(), a.width());
    }
}
