package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.LocalFarm;
import io.sweepfarm.cli.local.StateLock;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.png.InfoText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweepfarm demo}: the whole product on one machine. Starts devstack, the coordinator and a CPU worker on the
 * generated tiny model, submits the example sweep, shows progress, downloads every PNG and shows a query.
 */
@Command(name = "demo", description = "Run an example sweep end to end on this machine (no Docker, no GPU needed).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--spec", defaultValue = "examples/demo-sweep.json", description = "Sweep JSON to submit.")
    Path spec;

    @Option(names = "--out", defaultValue = "out/demo", description = "Where the PNGs go.")
    Path out;

    @Option(names = "--device", defaultValue = "cpu", description = "Worker device: cpu or cuda:N.")
    String device;

    @Override
    public Integer call() throws Exception {
        Path home = Home.dir();
        Path state = home.resolve(".sweepfarm/demo");
        try (StateLock lock = StateLock.tryAcquire(state, "sweepfarm demo")
                .orElseThrow(() -> UpCommand.alreadyRunning(state))) {
            LocalFarm.freshDir(state.resolve("infra"));
            LocalFarm.freshDir(state.resolve("logs"));
            return run(home, state, lock);
        }
    }

    private int run(Path home, Path state, StateLock lock) throws Exception {
        Path model = home.resolve(".sweepfarm/models/tiny");
        LocalFarm.Options options = new LocalFarm.Options(home, state, false, "tiny", model, device);
        try (LocalFarm farm = LocalFarm.start(options, System.out::println)) {
            lock.publish("sweepfarm demo", farm.coordinatorUrl());
            SweepfarmClient client = new SweepfarmClient(farm.coordinatorUrl());
            System.out.println("coordinator: " + farm.coordinatorUrl() + "   logs: " + state.resolve("logs"));
            CreateSweepResponse created = client.createSweep(Files.readAllBytes(home.resolve(spec)));
            System.out.printf("submitted %s: sweep %s, %d images%n", spec, created.id(), created.imageCount());
            SweepView done = Watch.untilDone(client, created.id(), new Progress(System.out));
            int saved = download(client, created.id(), LocalFarm.freshDir(home.resolve(out)));
            System.out.printf("saved %d PNGs to %s%n", saved, home.resolve(out));
            showQuery(client, farm.coordinatorUrl(), created.id());
            long failed = done.counts().getOrDefault(ImageState.FAILED, 0L);
            if (failed > 0 || saved != done.imageCount()) {
                System.err.printf("%d image(s) failed; see %s%n", failed, state.resolve("logs/worker-1.log"));
                return 1;
            }
            return 0;
        }
    }

    private static int download(SweepfarmClient client, java.util.UUID sweep, Path dir) throws Exception {
        int saved = 0;
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("sweep_id", sweep.toString());
            q.put("limit", "200");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ImagePage page = client.images(q);
            for (ImageView img : page.items()) {
                if (img.state() == ImageState.SUCCEEDED) {
                    Files.write(dir.resolve(fileName(img)), client.download(img.downloadUrl()));
                    saved++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return saved;
    }

    static String fileName(ImageView img) {
        return String.format("%04d_%s_cfg%s_steps%d_seed%d.png", img.ordinal(), img.params().sampler(),
                InfoText.number(img.params().cfgScale()), img.params().steps(), img.params().seed());
    }

    private static void showQuery(SweepfarmClient client, String base, java.util.UUID sweep) {
        ImagePage all = client.images(Map.of("sweep_id", sweep.toString(), "limit", "1"));
        if (all.items().isEmpty()) {
            return;
        }
        ImageView first = all.items().get(0);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sweep_id", sweep.toString());
        q.put("cfg_scale", Double.toString(first.params().cfgScale()));
        q.put("seed", Long.toString(first.params().seed()));
        List<ImageView> hits = client.images(q).items();
        System.out.println("query example (images of this sweep with one CFG scale and one seed):");
        System.out.println("  curl '" + base + "/api/v1/images" + SweepfarmClient.queryString(q) + "'");
        for (ImageView h : hits) {
            System.out.printf("  -> %s  steps=%d sampler=%s prompt=\"%s\"  %s%n", h.id(), h.params().steps(), h.params().sampler(),
                    h.params().prompt(), base + h.downloadUrl());
        }
    }
}
