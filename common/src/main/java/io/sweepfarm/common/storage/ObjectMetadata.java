package io.sweepfarm.common.storage;

import io.sweepfarm.common.image.FreeText;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The S3 user metadata of a rendered image. It travels in HTTP headers, which must be ASCII and are small (2 KB in
 * all on AWS S3; a larger set is refused with a 400), so it holds only short values: the ids, and every parameter of
 * {@link ImageParameters} by its name in kebab-case ({@code cfg-scale}), except that {@link FreeText} parameters
 * (prompts, of any length and script) are stored as their SHA-256 under {@code <name>-sha256}. The full text is in the
 * PNG's infotext and in the coordinator's database. S3 returns the keys lower-cased.
 */
public final class ObjectMetadata {

    private static final Set<String> FREE_TEXT = Arrays.stream(ImageParameters.class.getRecordComponents())
            .filter(c -> c.isAnnotationPresent(FreeText.class)).map(RecordComponent::getName)
            .map(ObjectMetadata::snakeCase).collect(Collectors.toUnmodifiableSet());

    private ObjectMetadata() {
    }

    public static Map<String, String> of(RenderTask task) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sweep-id", task.sweepId().toString());
        m.put("image-id", task.imageId().toString());
        m.put("ordinal", Long.toString(task.ordinal()));
        Map<?, ?> params = Json.MAPPER.convertValue(task.params(), Map.class);
        params.forEach((name, value) -> {
            String key = name.toString().replace('_', '-');
            if (FREE_TEXT.contains(name.toString())) {
                m.put(key + "-sha256", Hashes.sha256(value.toString()));
            } else if (value != null) {
                m.put(key, value.toString());
            }
        });
        return m;
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
