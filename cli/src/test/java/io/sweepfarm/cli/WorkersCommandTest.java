package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sweepfarm workers} against a stand-in coordinator that answers the two fleet endpoints. */
class WorkersCommandTest {

    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final Map<String, String> queries = new ConcurrentHashMap<>();
    private HttpServer coordinator;

    @BeforeEach
    void start() throws Exception {
        coordinator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        coordinator.createContext("/api/v1/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            queries.put(path, String.valueOf(exchange.getRequestURI().getQuery()));
            byte[] body = Json.toBytes(answers.getOrDefault(path, List.of()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        coordinator.start();
    }

    @AfterEach
    void stop() {
        coordinator.stop(0);
    }

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--coordinator";
        all[args.length + 1] = "http://127.0.0.1:" + coordinator.getAddress().getPort();
        assertThat(cl.execute(all)).isZero();
        return out.toString();
    }

    private static LaneView lane(String id, String model, LaneState state, String error, double age) {
        return new LaneView(id, id.split("/")[0], "gpu-host", model, "cuda:0", state, 1.5, 84.6, 4, error, "0.1.0",
                Instant.parse("2026-11-30T12:00:00Z"), age, null);
    }

    @Test
    void listsEveryLaneAndTheModelsTheyServe() {
        answers.put("/api/v1/workers", List.of(lane("gpu-1/cuda:0", "sd15", LaneState.RENDERING, null, 2.4),
                lane("gpu-2/cuda:0", "sd15", LaneState.LOST, "CUDA error\n\u001b[2Jout of memory", 300)));
        answers.put("/api/v1/models", List.of(new ModelView("sd15", 1, Map.of(LaneState.RENDERING, 1,
                LaneState.LOST, 1), 1.5, null)));

        String out = run("workers");

        assertThat(out.lines().toList()).hasSize(6);
        assertThat(out.lines().findFirst().orElseThrow()).startsWith("LANE").contains("STATE", "IMG/S", "AGE");
        assertThat(out).contains("gpu-1/cuda:0", "RENDERING", "1.50", "85", "2s")
                .contains("gpu-2/cuda:0", "LOST", "5m", "CUDA error\\n\\u001b[2Jout of memory")
                .doesNotContain("\u001b");
        String modelLine = out.lines().filter(l -> l.startsWith("sd15")).findFirst().orElseThrow();
        assertThat(modelLine).contains("1", "1.50", "?").contains("RENDERING 1").contains("LOST 1");
    }

    @Test
    void eachLaneShowsTheAddOnsItOffers() {
        LaneView plain = lane("gpu-1/cuda:0", "sd15", LaneState.IDLE, null, 1);
        LaneView rich = new LaneView("gpu-2/cuda:0", "gpu-2", "gpu-host", "sdxl", "cuda:0", LaneState.IDLE, 0, 0, 4,
                null, "0.1.0", Instant.parse("2026-11-30T12:00:00Z"), 1,
                new io.sweepfarm.common.api.LaneAddons(List.of("film-grain", "add-detail"), List.of("canny"),
                        "sdxl-refiner", false, false));
        answers.put("/api/v1/workers", List.of(plain, rich));

        String out = run("workers");

        assertThat(out.lines().findFirst().orElseThrow()).contains("ADD-ONS");
        String richLine = out.lines().filter(l -> l.startsWith("gpu-2")).findFirst().orElseThrow();
        assertThat(richLine).contains("LoRAs: add-detail, film-grain; ControlNets: canny; refiner: sdxl-refiner");
        String plainLine = out.lines().filter(l -> l.startsWith("gpu-1")).findFirst().orElseThrow();
        assertThat(plainLine).doesNotContain("LoRAs");
    }

    @Test
    void anEmptyFleetSaysWhatToCheck() {
        String out = run("workers");
        assertThat(out).contains("No worker lane has sent a heartbeat").contains("Kafka");
    }

    @Test
    void theModelOptionAsksTheCoordinatorForThatModelsLanes() {
        answers.put("/api/v1/workers", List.of(lane("gpu-3/cuda:1", "sdxl", LaneState.IDLE, null, 1)));
        String out = run("workers", "--model", "sdxl");
        assertThat(queries.get("/api/v1/workers")).isEqualTo("model=sdxl");
        assertThat(out).contains("gpu-3/cuda:1", "IDLE");
    }

    @Test
    void anUnreachableCoordinatorIsOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        coordinator.stop(0);
        int code = cl.execute("workers", "--coordinator",
                "http://127.0.0.1:" + coordinator.getAddress().getPort());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("sweepfarm: no coordinator answers at")
                .contains("./sweepfarm up").doesNotContain("\n", "Exception");
    }
}
