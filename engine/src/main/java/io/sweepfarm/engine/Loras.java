package io.sweepfarm.engine;

import ai.onnxruntime.OnnxTensor;
import io.sweepfarm.engine.lora.LoraFile;
import io.sweepfarm.engine.lora.LoraPatcher;
import io.sweepfarm.engine.model.Closeables;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextEncoder;
import io.sweepfarm.engine.model.UNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRAs from a folder ({@code <name>.safetensors}), applied at load time: for each distinct (LoRA set, scales) the
 * targeted weights are patched once ({@link LoraPatcher}) and the U-Net and text encoder(s) they touch are opened as
 * new sessions with the patched initializers in place of the file's; models no module targets keep the base
 * sessions. Variants are cached, least recently used first out, up to the configured count.
 *
 * <p><b>Memory:</b> a variant holds a full session of each model it patches (on a GPU, a second copy of the U-Net's
 * weights: about 1.7 GB for an fp16 SD 1.5 U-Net, 5 GB for SDXL's) plus host copies of the patched tensors (the
 * attention projections most LoRAs target: tens to a few hundred MB). Parsed LoRA files are kept while any variant
 * uses them. Sweeping LoRA scales renders best with the scales as the outer axis, so each variant is built once.
 *
 * <p>Not thread-safe: one per engine.
 */
final class Loras implements AutoCloseable {

    private static final String SUFFIX = ".safetensors";

    private final Path dir;
    private final SessionFactory sessions;
    private final int capacity;
    private final LinkedHashMap<List<LoraWeight>, Variant> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, LoraFile> files = new HashMap<>();
    private int built;

    private Loras(Path dir, SessionFactory sessions, int capacity) {
        this.dir = dir;
        this.sessions = sessions;
        this.capacity = capacity;
    }

    static Loras none() {
        return new Loras(null, null, 1);
    }

    static Loras in(Path dir, SessionFactory sessions, int capacity) {
        return new Loras(dir.toAbsolutePath().normalize(), sessions, capacity);
    }

    /** The stage with {@code loras} applied to its weights; the stage itself when the list is empty. */
    Stage apply(Stage base, List<LoraWeight> loras) {
        if (loras.isEmpty()) {
            return base;
        }
        List<LoraWeight> key = loras.stream().sorted(Comparator.comparing(LoraWeight::name)
                .thenComparingDouble(LoraWeight::scale)).toList();
        Variant v = cache.get(key);
        if (v == null) {
            v = build(base.model(), key);
            cache.put(key, v);
            while (cache.size() > capacity) {
                Map.Entry<List<LoraWeight>, Variant> eldest = cache.entrySet().iterator().next();
                cache.remove(eldest.getKey());
                eldest.getValue().close();
            }
        }
        return base.withWeights(v.unet, v.first, v.second);
    }

    /** Names of the LoRA files in the folder ({@code <name>.safetensors}), sorted; none without a folder. */
    List<String> names() {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() > SUFFIX.length())
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list LoRAs in " + dir, e);
        }
    }

    /** How many variants were built so far (each a patch and new sessions), for tests and logs. */
    int variantsBuilt() {
        return built;
    }

    private Variant build(StableDiffusionModel model, List<LoraWeight> loras) {
        List<LoraPatcher.Applied> applied = new ArrayList<>();
        for (LoraWeight w : loras) {
            applied.add(new LoraPatcher.Applied(file(w.name()), w.scale()));
        }
        Variant v = new Variant();
        try {
            Path root = model.directory();
            if (model.textEncoder() != null) {
                v.first = open(root, LoraFile.Target.TEXT_ENCODER, applied, (o, l) -> new TextEncoder(o, l));
            }
            if (model.textEncoder2() != null) {
                v.second = open(root, LoraFile.Target.TEXT_ENCODER_2, applied, (o, l) -> new TextEncoder(o, l));
            }
            v.unet = open(root, LoraFile.Target.UNET, applied, (o, l) -> new UNet(o, l));
            for (LoraPatcher.Applied a : applied) {
                if (a.lora().modules().stream().anyMatch(m -> m.target() == LoraFile.Target.TEXT_ENCODER
                        && model.textEncoder() == null)) {
                    throw new IllegalArgumentException("LoRA '" + a.lora().name() + "' patches text_encoder, which "
                            + "this model does not have");
                }
            }
            built++;
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    private interface Wrapper<T> {
        T wrap(SessionFactory.OpenSession open, String label);
    }

    private <T> T open(Path root, LoraFile.Target target, List<LoraPatcher.Applied> applied, Wrapper<T> wrapper) {
        Path file = root.resolve(target.file());
        Map<String, OnnxTensor> patched = LoraPatcher.patch(file, target.file(), target, applied);
        if (patched.isEmpty()) {
            return null;
        }
        return wrapper.wrap(sessions.open(file, target.file(), patched), target.file());
    }

    private LoraFile file(String name) {
        if (dir == null) {
            throw new IllegalArgumentException("LoRA '" + name + "' requested, but no LoRA folder is configured for "
                    + "this engine");
        }
        return files.computeIfAbsent(name, n -> {
            Path file = dir.resolve(n + SUFFIX);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("LoRA '" + n + "' not found: no " + file);
            }
            return LoraFile.read(n, file);
        });
    }

    /** The patched sessions of one (LoRA set, scales); null fields keep the base model's. */
    private static final class Variant implements AutoCloseable {
        TextEncoder first;
        TextEncoder second;
        UNet unet;

        @Override
        public void close() {
            Closeables.closeAll(unet, second, first);
        }
    }

    @Override
    public void close() {
        cache.values().forEach(Variant::close);
        cache.clear();
        files.clear();
    }
}
