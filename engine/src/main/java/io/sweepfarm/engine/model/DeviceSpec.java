package io.sweepfarm.engine.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the models run: {@code cpu} or {@code cuda:N} (N = CUDA device ordinal). Parsed from
 * configuration; anything else is rejected so a typo never silently means "CPU".
 *
 * @param kind     CPU or CUDA
 * @param deviceId CUDA device ordinal; 0 for the CPU
 */
public record DeviceSpec(Kind kind, int deviceId) {

    /** Execution provider family. */
    public enum Kind { CPU, CUDA }

    private static final Pattern CUDA = Pattern.compile("cuda:(\\d{1,3})");

    public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

    public DeviceSpec {
        if (deviceId < 0 || (kind == Kind.CPU && deviceId != 0)) {
            throw new IllegalArgumentException("invalid device id " + deviceId + " for " + kind);
        }
    }

    /** Parses {@code cpu} or {@code cuda:N} (case-insensitive, surrounding blanks ignored). */
    public static DeviceSpec parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("device must be 'cpu' or 'cuda:N' (e.g. cuda:0), got nothing");
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        Matcher m = CUDA.matcher(t);
        if (m.matches()) {
            return new DeviceSpec(Kind.CUDA, Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("device must be 'cpu' or 'cuda:N' (e.g. cuda:0), got '" + text + "'");
    }

    public static DeviceSpec cuda(int deviceId) {
        return new DeviceSpec(Kind.CUDA, deviceId);
    }

    public boolean isCuda() {
        return kind == Kind.CUDA;
    }

    /** The configuration spelling, {@code cpu} or {@code cuda:N}. */
    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + deviceId;
    }
}
