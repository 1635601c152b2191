package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.FreeText;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.Labelled;
import io.sweepfarm.common.image.LoraWeight;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One parameter of {@link ImageParameters}, by its snake_case API name: the filters, grid axes and dataset columns
 * are derived from the record itself, so a parameter added there is queryable without being listed again here. A
 * list component is a multi-valued text parameter of its elements' labels ({@code loras}: {@code film-grain:0.5},
 * {@code controlnets}: {@code canny:1:0:1}); {@code lora} and {@code controlnet} are the names alone. A condition
 * on a multi-valued parameter passes when one of the values passes (an absent value: when there is none).
 *
 * @param name     snake_case name, as in JSON and query strings
 * @param type     the (element) type ({@code String}, {@code int}, {@code long}, {@code double}, {@code Double},
 *                 an enum)
 * @param freeText whether the value is user text ({@link FreeText}), filterable by substring
 * @param multi    whether the parameter has a list of values ({@link #get} answers a {@code List})
 */
public record ImageParam(String name, Class<?> type, boolean freeText, boolean multi,
        Function<ImageParameters, Object> getter) {

    /** Every parameter, in the record's order, each list component followed by its names-only parameter. */
    public static final List<ImageParam> ALL = all();

    private static List<ImageParam> all() {
        List<ImageParam> all = new ArrayList<>();
        for (RecordComponent c : ImageParameters.class.getRecordComponents()) {
            String snake = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            Method accessor = c.getAccessor();
            if (c.getType() == List.class) {
                all.add(new ImageParam(snake, String.class, false, true, p -> labels((List<?>) read(accessor, p))));
                all.add(new ImageParam(snake.substring(0, snake.length() - 1), String.class, false, true,
                        p -> names((List<?>) read(accessor, p))));
            } else {
                all.add(new ImageParam(snake, c.getType(), c.isAnnotationPresent(FreeText.class), false,
                        p -> read(accessor, p)));
            }
        }
        return List.copyOf(all);
    }

    private static Object read(Method accessor, ImageParameters p) {
        try {
            return accessor.invoke(p);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + accessor.getName(), e);
        }
    }

    private static List<String> labels(List<?> values) {
        return values.stream().map(v -> v instanceof Labelled l ? l.label() : String.valueOf(v)).toList();
    }

    private static List<String> names(List<?> values) {
        return values.stream().map(v -> v instanceof LoraWeight l ? l.name()
                : v instanceof ControlNetUse u ? u.model() : String.valueOf(v)).toList();
    }

    public static Optional<ImageParam> named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    public static String names() {
        return ALL.stream().map(ImageParam::name).collect(Collectors.joining(", "));
    }

    /** The parameter's value in {@code p} (boxed; null where the parameter is absent; a list when multi). */
    public Object get(ImageParameters p) {
        return getter.apply(p);
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
