package io.sweepfarm.engine.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The scheduler settings of one model, bound by Jackson from its {@code scheduler/scheduler_config.json} (keys in
 * diffusers' snake_case: {@code num_train_timesteps}, {@code use_karras_sigmas}, ...).
 *
 * <p>Every component is nullable: {@code null} means the file did not name the key (or set it to {@code null}), so
 * each sampler applies its own constructor default, exactly as diffusers' {@code from_config} does (SD 1.5 ships a
 * PNDM config without {@code timestep_spacing}; an Euler sampler built from it keeps Euler's default
 * {@code linspace}). Reading a file ignores keys the engine does not know ({@code _class_name}, newer keys) and accepts
 * Python's {@code -Infinity}; {@link #with} is strict, so a misspelt key in code fails. Immutable and thread-safe
 * ({@code trainedBetas} is copied out). Record equality compares that array by reference.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchedulerConfig(
        Integer numTrainTimesteps,
        Double betaStart,
        Double betaEnd,
        String betaSchedule,
        double[] trainedBetas,
        String predictionType,
        String timestepSpacing,
        Integer stepsOffset,
        Boolean clipSample,
        Double clipSampleRange,
        Boolean setAlphaToOne,
        Boolean skipPrkSteps,
        Boolean useKarrasSigmas,
        Boolean thresholding,
        Double dynamicThresholdingRatio,
        Double sampleMaxValue,
        Integer solverOrder,
        String algorithmType,
        String solverType,
        Boolean lowerOrderFinal,
        Boolean eulerAtFinal,
        String finalSigmasType,
        Double lambdaMinClipped,
        Boolean useLuLambdas,
        String varianceType,
        Boolean rescaleBetasZeroSnr,
        String interpolationType,
        String timestepType) {

    /** Lenient, for files: unknown keys ignored, {@code NaN}/{@code Infinity} accepted. */
    private static final ObjectMapper FILES = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** Strict, for overrides in code: a key the record lacks is an error. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A config naming no key at all: every sampler uses its own defaults. */
    public static SchedulerConfig empty() {
        return parse("{}");
    }

    /** Reads a {@code scheduler_config.json} file; fails naming the file when it cannot be read or parsed. */
    public static SchedulerConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a {@code scheduler_config.json}; throws {@link IllegalArgumentException} if it is not a JSON object. */
    public static SchedulerConfig parse(String json) {
        try {
            JsonNode root = FILES.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("scheduler config must be a JSON object");
            }
            return FILES.treeToValue(root, SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scheduler config is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * This config with one key set (diffusers' {@code from_config(config, key=value)}), e.g.
     * {@code with("use_karras_sigmas", true)}; {@code null} removes the key. Fails on a key the record lacks.
     */
    public SchedulerConfig with(String key, Object value) {
        ObjectNode tree = STRICT.valueToTree(this);
        tree.set(key, STRICT.valueToTree(value));
        try {
            return STRICT.treeToValue(tree, SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot set scheduler config key '" + key + "': "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The value when present, else the caller's (the sampler's) default. */
    static <T> T or(T value, T defaultValue) {
        return value != null ? value : defaultValue;
    }

    /** The trained betas when the file names them, else {@code null}; a copy. */
    @Override
    public double[] trainedBetas() {
        return trainedBetas == null ? null : trainedBetas.clone();
    }
}
