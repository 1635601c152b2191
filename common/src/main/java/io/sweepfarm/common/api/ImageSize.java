package io.sweepfarm.common.api;

import com.fasterxml.jackson.annotation.JsonFormat;

/** An image size in pixels; in JSON the two-element array {@code [width, height]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record ImageSize(int width, int height) {

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
