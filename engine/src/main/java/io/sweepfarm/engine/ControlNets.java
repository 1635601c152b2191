package io.sweepfarm.engine;

import io.sweepfarm.engine.model.ControlNet;
import io.sweepfarm.engine.model.SessionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ControlNets an engine can use: the folders {@code <dir>/<name>/model.onnx}, each loaded on first use and kept
 * (a ControlNet costs about as much device memory as its U-Net's encoder half). Thread-safe; closes what it loaded.
 */
public final class ControlNets implements AutoCloseable {

    private final Path dir;
    private final SessionFactory sessions;
    private final Map<String, ControlNet> loaded = new LinkedHashMap<>();

    private ControlNets(Path dir, SessionFactory sessions) {
        this.dir = dir;
        this.sessions = sessions;
    }

    /** No ControlNets: requests naming one are refused. */
    public static ControlNets none() {
        return new ControlNets(null, null);
    }

    /** The ControlNets in {@code dir}, one folder each. */
    public static ControlNets in(Path dir, SessionFactory sessions) {
        return new ControlNets(dir.toAbsolutePath().normalize(), sessions);
    }

    /** The ControlNet {@code name}, loading it on first use; fails naming the folder when there is none. */
    public synchronized ControlNet get(String name) {
        ControlNet net = loaded.get(name);
        if (net != null) {
            return net;
        }
        if (dir == null) {
            throw new IllegalArgumentException("ControlNet '" + name + "' requested, but no ControlNet folder is "
                    + "configured for this engine");
        }
        Path file = dir.resolve(name).resolve("model.onnx");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ControlNet '" + name + "' not found: no " + file + " (known: "
                    + names() + ")");
        }
        net = new ControlNet(sessions, file, name + "/model.onnx");
        loaded.put(name, net);
        return net;
    }

    /** Names of the ControlNet folders present. */
    public List<String> names() {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).map(p -> p.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list ControlNets in " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(ControlNet::close);
        loaded.clear();
    }
}
