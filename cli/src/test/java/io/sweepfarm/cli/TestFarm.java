package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.LocalFarm;
import java.nio.file.Path;
import java.util.Map;

/** A one-machine farm for an end-to-end test class (tiny model, CPU workers), with its API client and audit. */
final class TestFarm implements AutoCloseable {

    final LocalFarm local;
    final SweepfarmClient api;
    final SweepAudit audit;

    private TestFarm(LocalFarm farm) {
        this.local = farm;
        this.api = new SweepfarmClient(farm.coordinatorUrl());
        this.audit = new SweepAudit(api, farm.endpoints());
    }

    /** Starts devstack, the coordinator and {@code workers} ready workers with their data under {@code state}. */
    static TestFarm start(Path state, int workers) {
        return start(state, workers, Map.of());
    }

    /**
     * Starts devstack, the coordinator and {@code workers} ready workers with {@code workerSettings} (e.g. lanes of
     * other models than the tiny one) added to their configuration.
     */
    static TestFarm start(Path state, int workers, Map<String, String> workerSettings) {
        Path home = Path.of(System.getProperty("sweepfarm.home", "..")).toAbsolutePath().normalize();
        LocalFarm farm = LocalFarm.start(new LocalFarm.Options(home, state, false, "tiny", state.resolve("model"),
                "cpu").withWorkerSettings(workerSettings), System.out::println);
        for (int i = 1; i < workers; i++) {
            farm.addWorker();
        }
        return new TestFarm(farm);
    }

    @Override
    public void close() {
        local.close();
    }
}
