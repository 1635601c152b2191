package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.image.ImageParameters;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** One test on one parameter of an image: any of several values, a numeric range, or a substring. */
public sealed interface Condition permits Condition.AnyOf, Condition.Between, Condition.Contains {

    ImageParam param();

    /**
     * Whether the parameter's value in {@code p} passes; for a multi-valued parameter, whether one of its values
     * does (or, when it has none, whether an absent value does), and for an exact condition also whether all of them
     * joined as {@link #joined} do (so that the grid page can fix a LoRA set: {@code loras=grain:0.5, ink:1}).
     */
    default boolean test(ImageParameters p) {
        Object value = param().get(p);
        if (param().multi()) {
            List<?> values = (List<?>) value;
            return values.isEmpty() ? accepts(null) : values.stream().anyMatch(this::accepts)
                    || values.size() > 1 && this instanceof AnyOf && accepts(joined(values));
        }
        return accepts(value);
    }

    /** The labels of a multi-valued parameter in one text, as grids show them (names never contain commas). */
    static String joined(List<?> labels) {
        return String.join(", ", labels.stream().map(String::valueOf).toList());
    }

    boolean accepts(Object value);

    /** Equal to one of {@code values} (numbers compared as numbers; null matches an absent value). */
    record AnyOf(ImageParam param, Set<Object> values) implements Condition {
        @Override
        public boolean accepts(Object value) {
            if (value instanceof Number n && param.numeric()) {
                for (Object v : values) {
                    if (v != null && ImageParam.number(v) == n.doubleValue()) {
                        return true;
                    }
                }
                return false;
            }
            for (Object v : values) {
                if (Objects.equals(v, value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A numeric value in [{@code min}, {@code max}] (either bound may be open: null). */
    record Between(ImageParam param, Double min, Double max) implements Condition {
        @Override
        public boolean accepts(Object value) {
            if (!(value instanceof Number n)) {
                return false;
            }
            double v = n.doubleValue();
            return (min == null || v >= min) && (max == null || v <= max);
        }
    }

    /** A text value containing {@code needle}, ignoring case. */
    record Contains(ImageParam param, String needle) implements Condition {
        public Contains {
            needle = needle.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean accepts(Object value) {
            return value instanceof String s && s.toLowerCase(Locale.ROOT).contains(needle);
        }
    }
}
