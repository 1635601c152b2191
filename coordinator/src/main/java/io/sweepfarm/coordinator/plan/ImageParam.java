package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.image.FreeText;
import io.sweepfarm.common.image.ImageParameters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One component of {@link ImageParameters}, by its snake_case API name: the filters, grid axes and dataset columns
 * are derived from the record itself, so a parameter added there is queryable without being listed again here.
 *
 * @param name     snake_case name, as in JSON and query strings
 * @param type     the component's type ({@code String}, {@code int}, {@code long}, {@code double}, {@code Double},
 *                 an enum)
 * @param freeText whether the value is user text ({@link FreeText}), filterable by substring
 */
public record ImageParam(String name, Class<?> type, boolean freeText, Method accessor) {

    /** Every parameter, in the record's order. */
    public static final List<ImageParam> ALL = Arrays.stream(ImageParameters.class.getRecordComponents())
            .map(ImageParam::of).toList();

    private static ImageParam of(RecordComponent c) {
        String snake = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return new ImageParam(snake, c.getType(), c.isAnnotationPresent(FreeText.class), c.getAccessor());
    }

    public static Optional<ImageParam> named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    public static String names() {
        return ALL.stream().map(ImageParam::name).collect(Collectors.joining(", "));
    }

    /** The parameter's value in {@code p} (boxed; null where the parameter is absent). */
    public Object get(ImageParameters p) {
        try {
            return accessor.invoke(p);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    public boolean numeric() {
        return type == int.class || type == long.class || type == double.class || Number.class.isAssignableFrom(type);
    }

    public boolean text() {
        return type == String.class;
    }

    /**
     * Parses a query-string value to the parameter's type, strictly (no trimming, no fractions for integers, finite
     * numbers only); an empty value of a nullable parameter means "absent" (null). Throws
     * {@link IllegalArgumentException} with a message that names the expectation.
     */
    public Object parse(String raw) {
        if (type == String.class) {
            return raw.isEmpty() && !freeText ? null : raw;
        }
        if (raw.isEmpty() && !type.isPrimitive()) {
            return null;
        }
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(raw);
            }
            if (type == long.class || type == Long.class) {
                return Long.parseLong(raw);
            }
            if (type == double.class || type == Double.class) {
                double v = Double.parseDouble(raw);
                if (!Double.isFinite(v) || !raw.matches("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
                    throw new NumberFormatException();
                }
                return v;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be " + (type == double.class || type == Double.class
                    ? "a finite number" : "an integer") + ", not '" + raw + "'");
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(raw)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + raw + "'");
        }
        throw new IllegalStateException("no parser for " + type);
    }

    /** The value as a double, for range conditions; only for {@link #numeric()} parameters. */
    public static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
