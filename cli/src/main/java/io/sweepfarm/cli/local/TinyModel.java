package io.sweepfarm.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Makes sure a model folder exists, generating the tiny random-weight model there when it holds none. */
final class TinyModel {

    private TinyModel() {
    }

    static void ensure(Path dir, Consumer<String> say) {
        if (Files.isRegularFile(dir.resolve("model_index.json"))) {
            return;
        }
        say.accept("generating the tiny random-weight model in " + dir + " ...");
        try {
            io.sweepfarm.devstack.modelgen.TinyStableDiffusion.generate(dir,
                    io.sweepfarm.devstack.modelgen.Options.defaults());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the tiny model to " + dir + ": " + e.getMessage(), e);
        }
    }
}
