package io.sweepfarm.engine.scheduler;

/**
 * The scheduler settings of one model, as found in its {@code scheduler/scheduler_config.json}.
 *
 * <p>Every component is nullable: {@code null} means the model's file did not name the key, so each sampler applies
 * its own constructor default, exactly as diffusers' {@code from_config} does (SD 1.5 ships a PNDM config without
 * {@code timestep_spacing}; an Euler sampler built from it keeps Euler's default {@code linspace}). Parse a file with
 * {@link SchedulerConfigJson#parse(String)}; build one in code with {@link #builder()}. Immutable and thread-safe
 * ({@code trainedBetas} is copied in and out). Record equality compares that array by reference.
 */
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

    /** A config naming no key at all: every sampler uses its own defaults. */
    public static SchedulerConfig empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to override some keys. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.numTrainTimesteps = numTrainTimesteps;
        b.betaStart = betaStart;
        b.betaEnd = betaEnd;
        b.betaSchedule = betaSchedule;
        b.trainedBetas = trainedBetas;
        b.predictionType = predictionType;
        b.timestepSpacing = timestepSpacing;
        b.stepsOffset = stepsOffset;
        b.clipSample = clipSample;
        b.clipSampleRange = clipSampleRange;
        b.setAlphaToOne = setAlphaToOne;
        b.skipPrkSteps = skipPrkSteps;
        b.useKarrasSigmas = useKarrasSigmas;
        b.thresholding = thresholding;
        b.dynamicThresholdingRatio = dynamicThresholdingRatio;
        b.sampleMaxValue = sampleMaxValue;
        b.solverOrder = solverOrder;
        b.algorithmType = algorithmType;
        b.solverType = solverType;
        b.lowerOrderFinal = lowerOrderFinal;
        b.eulerAtFinal = eulerAtFinal;
        b.finalSigmasType = finalSigmasType;
        b.lambdaMinClipped = lambdaMinClipped;
        b.useLuLambdas = useLuLambdas;
        b.varianceType = varianceType;
        b.rescaleBetasZeroSnr = rescaleBetasZeroSnr;
        b.interpolationType = interpolationType;
        b.timestepType = timestepType;
        return b;
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

    /** Fluent builder; unset keys stay absent ({@code null}). Not thread-safe. */
    public static final class Builder {
        private Integer numTrainTimesteps;
        private Double betaStart;
        private Double betaEnd;
        private String betaSchedule;
        private double[] trainedBetas;
        private String predictionType;
        private String timestepSpacing;
        private Integer stepsOffset;
        private Boolean clipSample;
        private Double clipSampleRange;
        private Boolean setAlphaToOne;
        private Boolean skipPrkSteps;
        private Boolean useKarrasSigmas;
        private Boolean thresholding;
        private Double dynamicThresholdingRatio;
        private Double sampleMaxValue;
        private Integer solverOrder;
        private String algorithmType;
        private String solverType;
        private Boolean lowerOrderFinal;
        private Boolean eulerAtFinal;
        private String finalSigmasType;
        private Double lambdaMinClipped;
        private Boolean useLuLambdas;
        private String varianceType;
        private Boolean rescaleBetasZeroSnr;
        private String interpolationType;
        private String timestepType;

        private Builder() {
        }

        public Builder numTrainTimesteps(Integer v) { numTrainTimesteps = v; return this; }
        public Builder betaStart(Double v) { betaStart = v; return this; }
        public Builder betaEnd(Double v) { betaEnd = v; return this; }
        public Builder betaSchedule(String v) { betaSchedule = v; return this; }
        public Builder trainedBetas(double[] v) { trainedBetas = v == null ? null : v.clone(); return this; }
        public Builder predictionType(String v) { predictionType = v; return this; }
        public Builder timestepSpacing(String v) { timestepSpacing = v; return this; }
        public Builder stepsOffset(Integer v) { stepsOffset = v; return this; }
        public Builder clipSample(Boolean v) { clipSample = v; return this; }
        public Builder clipSampleRange(Double v) { clipSampleRange = v; return this; }
        public Builder setAlphaToOne(Boolean v) { setAlphaToOne = v; return this; }
        public Builder skipPrkSteps(Boolean v) { skipPrkSteps = v; return this; }
        public Builder useKarrasSigmas(Boolean v) { useKarrasSigmas = v; return this; }
        public Builder thresholding(Boolean v) { thresholding = v; return this; }
        public Builder dynamicThresholdingRatio(Double v) { dynamicThresholdingRatio = v; return this; }
        public Builder sampleMaxValue(Double v) { sampleMaxValue = v; return this; }
        public Builder solverOrder(Integer v) { solverOrder = v; return this; }
        public Builder algorithmType(String v) { algorithmType = v; return this; }
        public Builder solverType(String v) { solverType = v; return this; }
        public Builder lowerOrderFinal(Boolean v) { lowerOrderFinal = v; return this; }
        public Builder eulerAtFinal(Boolean v) { eulerAtFinal = v; return this; }
        public Builder finalSigmasType(String v) { finalSigmasType = v; return this; }
        public Builder lambdaMinClipped(Double v) { lambdaMinClipped = v; return this; }
        public Builder useLuLambdas(Boolean v) { useLuLambdas = v; return this; }
        public Builder varianceType(String v) { varianceType = v; return this; }
        public Builder rescaleBetasZeroSnr(Boolean v) { rescaleBetasZeroSnr = v; return this; }
        public Builder interpolationType(String v) { interpolationType = v; return this; }
        public Builder timestepType(String v) { timestepType = v; return this; }

        public SchedulerConfig build() {
            return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule,
                    trainedBetas == null ? null : trainedBetas.clone(), predictionType, timestepSpacing, stepsOffset,
                    clipSample, clipSampleRange, setAlphaToOne, skipPrkSteps, useKarrasSigmas, thresholding,
                    dynamicThresholdingRatio, sampleMaxValue, solverOrder, algorithmType, solverType, lowerOrderFinal,
                    eulerAtFinal, finalSigmasType, lambdaMinClipped, useLuLambdas, varianceType, rescaleBetasZeroSnr,
                    interpolationType, timestepType);
        }
    }
}
