package io.sweepfarm.engine.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a diffusers {@code scheduler_config.json} into a {@link SchedulerConfig}. Keys the file lacks, or sets to
 * {@code null}, stay absent; unknown keys (including {@code _class_name}) are ignored. Python writes
 * {@code -inf} as {@code -Infinity}, which is accepted. Stateless and thread-safe.
 */
public final class SchedulerConfigJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private SchedulerConfigJson() {
    }

    /** Reads a {@code scheduler_config.json} file; fails naming the file when it cannot be read or parsed. */
    public static SchedulerConfig read(java.nio.file.Path file) {
        try {
            return parse(java.nio.file.Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a {@code scheduler_config.json}; throws {@link IllegalArgumentException} if it is not JSON. */
    public static SchedulerConfig parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scheduler config is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scheduler config must be a JSON object");
        }
        return SchedulerConfig.builder()
                .numTrainTimesteps(integer(root, "num_train_timesteps"))
                .betaStart(number(root, "beta_start"))
                .betaEnd(number(root, "beta_end"))
                .betaSchedule(text(root, "beta_schedule"))
                .trainedBetas(numbers(root, "trained_betas"))
                .predictionType(text(root, "prediction_type"))
                .timestepSpacing(text(root, "timestep_spacing"))
                .stepsOffset(integer(root, "steps_offset"))
                .clipSample(bool(root, "clip_sample"))
                .clipSampleRange(number(root, "clip_sample_range"))
                .setAlphaToOne(bool(root, "set_alpha_to_one"))
                .skipPrkSteps(bool(root, "skip_prk_steps"))
                .useKarrasSigmas(bool(root, "use_karras_sigmas"))
                .thresholding(bool(root, "thresholding"))
                .dynamicThresholdingRatio(number(root, "dynamic_thresholding_ratio"))
                .sampleMaxValue(number(root, "sample_max_value"))
                .solverOrder(integer(root, "solver_order"))
                .algorithmType(text(root, "algorithm_type"))
                .solverType(text(root, "solver_type"))
                .lowerOrderFinal(bool(root, "lower_order_final"))
                .eulerAtFinal(bool(root, "euler_at_final"))
                .finalSigmasType(text(root, "final_sigmas_type"))
                .lambdaMinClipped(number(root, "lambda_min_clipped"))
                .useLuLambdas(bool(root, "use_lu_lambdas"))
                .varianceType(text(root, "variance_type"))
                .rescaleBetasZeroSnr(bool(root, "rescale_betas_zero_snr"))
                .interpolationType(text(root, "interpolation_type"))
                .timestepType(text(root, "timestep_type"))
                .build();
    }

    private static JsonNode present(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private static Integer integer(JsonNode root, String key) {
        JsonNode n = present(root, key);
        return n == null ? null : n.asInt();
    }

    private static Double number(JsonNode root, String key) {
        JsonNode n = present(root, key);
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            return Double.valueOf(n.asText().replace("inf", "Infinity"));
        }
        return n.asDouble();
    }

    private static Boolean bool(JsonNode root, String key) {
        JsonNode n = present(root, key);
        return n == null ? null : n.asBoolean();
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = present(root, key);
        return n == null ? null : n.asText();
    }

    private static double[] numbers(JsonNode root, String key) {
        JsonNode n = present(root, key);
        if (n == null || !n.isArray()) {
            return null;
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
