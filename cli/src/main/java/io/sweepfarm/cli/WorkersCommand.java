package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweepfarm workers [--model M]}: the fleet's lanes, then the models they serve. */
@Command(name = "workers", description = "List the worker lanes (from their heartbeats) and the models they serve.")
final class WorkersCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Only the lanes of this model.")
    String model;

    @Mixin
    CoordinatorOption coordinator;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SweepfarmClient client = coordinator.client();
        String query = model == null ? "" : SweepfarmClient.queryString(Map.of("model", model));
        LaneView[] lanes = Json.fromBytes(client.download("/api/v1/workers" + query), LaneView[].class);
        ModelView[] models = Json.fromBytes(client.download("/api/v1/models"), ModelView[].class);
        PrintWriter out = spec.commandLine().getOut();
        if (lanes.length == 0) {
            out.println(model == null ? "No worker lane has sent a heartbeat. Workers send one every few seconds "
                    + "once started; check that they reach the same Kafka as the coordinator."
                    : "No lane serves model " + cell(model) + ".");
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("LANE", "MODEL", "STATE", "IMG/S", "STEP MS", "BATCH", "AGE", "VERSION", "ADD-ONS",
                    "LAST ERROR"));
            for (LaneView l : lanes) {
                rows.add(List.of(cell(l.laneId()), cell(l.model()), l.state().name(), number(l.imagesPerSecond()),
                        String.format(Locale.ROOT, "%.0f", l.meanStepMillis()), Integer.toString(l.batchSize()),
                        age(l.ageSeconds()), cell(l.version()), l.addons() == null ? "" : cell(l.addons().summary()),
                        l.lastError() == null ? "" : cell(l.lastError())));
            }
            print(out, rows);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("MODEL", "LIVE LANES", "IMG/S", "WAITING", "LANES BY STATE"));
        for (ModelView m : models) {
            if (model == null || model.equals(m.model())) {
                rows.add(List.of(cell(m.model()), Integer.toString(m.liveLanes()), number(m.imagesPerSecond()),
                        m.waitingTasks() == null ? "?" : Long.toString(m.waitingTasks()),
                        m.lanes().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", "))));
            }
        }
        if (rows.size() > 1) {
            out.println();
            print(out, rows);
        }
        out.flush();
        return 0;
    }

    /** Text from the network, safe for a terminal (control characters escaped, bounded). */
    private static String cell(String text) {
        return text == null ? "" : LaneHeartbeat.operatorText(text);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String age(double seconds) {
        long s = Math.round(seconds);
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }

    /** Left-aligned columns, the last one unpadded. */
    private static void print(PrintWriter out, List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row.get(c) : String.format("%-" + (width[c] + 2) + "s", row.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
