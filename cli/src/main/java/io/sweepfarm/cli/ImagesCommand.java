package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweepfarm images --sweep ID [--cfg-scale 7.5 ...] [--download DIR]}: query images by any parameter. */
@Command(name = "images", description = "List (and optionally download) images matching parameters.")
final class ImagesCommand implements Callable<Integer> {

    @Option(names = "--sweep", description = "Sweep id.")
    UUID sweep;

    @Option(names = "--prompt", description = "Exact prompt.")
    String prompt;

    @Option(names = "--cfg-scale", description = "CFG scale.")
    Double cfgScale;

    @Option(names = "--steps", description = "Step count.")
    Integer steps;

    @Option(names = "--sampler", description = "Sampler id.")
    String sampler;

    @Option(names = "--seed", description = "Seed.")
    Long seed;

    @Option(names = "--state", description = "Image state (PENDING, QUEUED, SUCCEEDED, FAILED, CANCELLED).")
    ImageState state;

    @Option(names = "--download", description = "Save the PNGs of the rendered matches into this folder.")
    Path download;

    @Mixin
    CoordinatorOption coordinator;

    @Override
    public Integer call() throws Exception {
        SweepfarmClient client = coordinator.client();
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "sweep_id", sweep);
        put(q, "prompt", prompt);
        put(q, "cfg_scale", cfgScale);
        put(q, "steps", steps);
        put(q, "sampler", sampler);
        put(q, "seed", seed);
        put(q, "state", state);
        if (download != null) {
            Files.createDirectories(download);
        }
        int count = 0;
        String cursor = null;
        do {
            Map<String, String> page = new LinkedHashMap<>(q);
            if (cursor != null) {
                page.put("cursor", cursor);
            }
            ImagePage p = client.images(page);
            for (ImageView i : p.items()) {
                count++;
                System.out.printf("%s  %-9s cfg=%s steps=%d sampler=%s seed=%d  \"%s\"%n", i.id(), i.state(),
                        i.params().cfgScale(), i.params().steps(), i.params().sampler(), i.params().seed(), i.params().prompt());
                if (download != null && i.state() == ImageState.SUCCEEDED) {
                    Files.write(download.resolve(DemoCommand.fileName(i)), client.download(i.downloadUrl()));
                }
            }
            cursor = p.nextCursor();
        } while (cursor != null);
        System.out.printf("%d image(s)%n", count);
        return 0;
    }

    private static void put(Map<String, String> q, String key, Object value) {
        if (value != null) {
            q.put(key, value.toString());
        }
    }
}
