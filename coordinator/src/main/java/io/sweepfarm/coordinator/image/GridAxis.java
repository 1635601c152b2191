package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.png.InfoText;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The parameters an X/Y grid can lay out along an axis, by their query-parameter names. */
enum GridAxis {
    PROMPT("prompt", i -> i.prompt),
    NEGATIVE_PROMPT("negative_prompt", i -> i.negativePrompt),
    CFG_SCALE("cfg_scale", i -> InfoText.number(i.cfgScale)),
    STEPS("steps", i -> Integer.toString(i.steps)),
    SAMPLER("sampler", i -> i.sampler),
    SEED("seed", i -> Long.toString(i.seed)),
    SIZE("size", i -> i.width + "x" + i.height),
    INIT_IMAGE("init_image", i -> i.initImage == null ? "" : i.initImage),
    STRENGTH("strength", i -> i.strength == null ? "" : InfoText.number(i.strength));

    final String param;
    final Function<Image, String> value;

    GridAxis(String param, Function<Image, String> value) {
        this.param = param;
        this.value = value;
    }

    static Optional<GridAxis> of(String param) {
        String p = param.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.param.equals(p)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(a -> a.param).collect(Collectors.joining(", "));
    }
}
