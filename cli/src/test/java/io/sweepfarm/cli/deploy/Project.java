package io.sweepfarm.cli.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The checked-out project: its files, and the tools the deployment checks run. */
final class Project {

    private Project() {
    }

    /** The project root (the folder holding compose.yaml), found upwards from the working directory. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("compose.yaml")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root (with compose.yaml and deploy/) not found above "
                + Path.of("").toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document in {@code text} that is a mapping (merge keys resolved). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (doc instanceof Map<?, ?> m) {
                docs.add((Map<String, Object>) m);
            }
        }
        return docs;
    }

    /** Whether {@code command} can be run (found on the PATH). */
    static boolean available(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command in the project root and returns its standard output; fails with its error output. */
    static String run(String... command) {
        try {
            Path err = Files.createTempFile("deploy-check-", ".err");
            Path out = Files.createTempFile("deploy-check-", ".out");
            try {
                Process p = new ProcessBuilder(command).directory(root().toFile()).redirectError(err.toFile())
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                            + Files.readString(err));
                }
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The value at a path of map keys (list elements by index), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object n = node;
        for (Object key : path) {
            if (n instanceof Map<?, ?> m) {
                n = m.get(key);
            } else if (n instanceof List<?> l && key instanceof Integer i) {
                n = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return (T) n;
    }
}
