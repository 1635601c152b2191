package io.sweepfarm.common.image;

import io.sweepfarm.common.png.InfoText;

/**
 * A ControlNet guiding an image, with sd-webui-controlnet's settings.
 *
 * @param model         the ControlNet's folder name in the worker's ControlNet folder
 * @param image         object key of the control image (an uploaded input)
 * @param scale         conditioning scale ("Weight")
 * @param guidanceStart fraction of the steps before which the ControlNet is off
 * @param guidanceEnd   fraction of the steps after which it is off again
 */
public record ControlNetUse(String model, String image, double scale, double guidanceStart, double guidanceEnd)
        implements Labelled {

    /** {@code model:scale:start:end}, as filters, grids and S3 metadata show it. */
    @Override
    public String label() {
        return model + ":" + InfoText.number(scale) + ":" + InfoText.number(guidanceStart) + ":"
                + InfoText.number(guidanceEnd);
    }
}
