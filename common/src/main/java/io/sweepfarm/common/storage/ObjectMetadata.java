package io.sweepfarm.common.storage;

import io.sweepfarm.common.image.FreeText;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.Labelled;
import io.sweepfarm.common.messaging.RenderTask;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The S3 user metadata of a rendered image. It travels in HTTP headers, which must be ASCII and are small (2 KB in
 * all on AWS S3; a larger set is refused with a 400), so it holds only short values: the ids, and every parameter of
 * {@link ImageParameters} by its name in kebab-case ({@code cfg-scale}), except that {@link FreeText} parameters
 * (prompts, of any length and script) are stored as their SHA-256 under {@code <name>-sha256}. LoRAs and ControlNets
 * are comma-separated labels ({@code loras: film-grain:0.8}, {@code controlnets: canny:0.7:0:1}), or their SHA-256
 * ({@code sha256:...}) when not short printable ASCII. The full text is in the PNG's infotext and in the
 * coordinator's database. S3 returns the keys lower-cased.
 */
public final class ObjectMetadata {

    private static final int MAX_LIST_CHARS = 256;

    private ObjectMetadata() {
    }

    public static Map<String, String> of(RenderTask task) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep-id", task.sweepId().toString());
        m.put("image-id", task.imageId().toString());
        m.put("ordinal", Long.toString(task.ordinal()));
        for (RecordComponent c : ImageParameters.class.getRecordComponents()) {
            String key = c.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Object value = value(c, task.params());
            if (c.isAnnotationPresent(FreeText.class)) {
                m.put(key + "-sha256", Hashes.sha256(String.valueOf(value)));
            } else if (value instanceof List<?> list) {
                if (!list.isEmpty()) {
                    m.put(key, headerSafe(list.stream().map(ObjectMetadata::label).collect(Collectors.joining(","))));
                }
            } else if (value != null) {
                m.put(key, value.toString());
            }
        }
        return m;
    }

    private static Object value(RecordComponent c, ImageParameters p) {
        try {
            return c.getAccessor().invoke(p);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    private static String label(Object element) {
        return element instanceof Labelled l ? l.label() : String.valueOf(element);
    }

    /** The value as it is when short printable ASCII (an HTTP header value), else its SHA-256. */
    private static String headerSafe(String value) {
        boolean ascii = value.length() <= MAX_LIST_CHARS && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return ascii ? value : "sha256:" + Hashes.sha256(value);
    }
}
