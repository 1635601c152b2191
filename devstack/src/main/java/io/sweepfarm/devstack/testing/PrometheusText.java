package io.sweepfarm.devstack.testing;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples from a Prometheus text exposition (a service's /q/metrics), for tests. */
public final class PrometheusText {

    private final String text;

    public PrometheusText(String text) {
        this.text = "\n" + text;
    }

    /** The sum of every sample of the series {@code name}, whatever its labels (0 when there is none). */
    public double sum(String name) {
        Matcher m = Pattern.compile("\n" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    /** The first sample of the series {@code name} with the label {@code label="value"}, if any. */
    public OptionalDouble value(String name, String label, String value) {
        Matcher m = Pattern.compile("\n" + Pattern.quote(name) + "\\{(?:[^}]*,)?" + Pattern.quote(label) + "=\""
                + Pattern.quote(value) + "\"[^}]*} (\\S+)").matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** How many samples of the series {@code name} carry the label {@code label="value"}. */
    public int count(String name, String label, String value) {
        Matcher m = Pattern.compile("\n" + Pattern.quote(name) + "\\{(?:[^}]*,)?" + Pattern.quote(label) + "=\""
                + Pattern.quote(value) + "\"[^}]*} (\\S+)").matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Whether a sample of the series {@code name} (exactly, with or without labels) is present. */
    public boolean has(String name) {
        return Pattern.compile("\n" + Pattern.quote(name) + "[{ ]").matcher(text).find();
    }

    @Override
    public String toString() {
        return text;
    }
}
