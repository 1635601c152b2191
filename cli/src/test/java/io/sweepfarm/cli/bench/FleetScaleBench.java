package io.sweepfarm.cli.bench;

import io.sweepfarm.cli.local.AppProcess;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The coordinator at fleet scale, measured against the packaged coordinator on devstack's real PostgreSQL and Kafka,
 * with raw PostgreSQL beside it in the same run:
 *
 * <ol>
 * <li>submit: POST of a 10⁸-image sweep and of a 10³-image sweep, alternating, p50/p95;</li>
 * <li>release: tasks/s the relay publishes into a large in-flight window;</li>
 * <li>results: results/s recorded from the results topic (a backlog produced at full speed), and raw batched inserts
 * of the same rows into a table of the same shape, same server;</li>
 * <li>status: GET of the 10⁸-image sweep with 10⁶ rendered, p50/p95;</li>
 * <li>query: a filtered page of 50 within that sweep and across 1,000 sweeps, p50/p95 through REST, with the bare SQL
 * of the row probe beside it.</li>
 * </ol>
 *
 * <p>{@code ./mvnw -q -pl cli -am -Pbench verify -DskipTests} (options, with their defaults:
 * {@code -Dbench.rendered=1000000 -Dbench.sweeps=1000 -Dbench.requests=300 -Dbench.warmup=200}; reads are timed
 * after {@code bench.warmup} unmeasured requests of each kind).
 */
public final class FleetScaleBench {

    private static final long HUNDRED_MILLION = 100_000_000L;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String base;

    public static void main(String[] args) throws Exception {
        new FleetScaleBench().run(Long.getLong("bench.rendered", 1_000_000L), Integer.getInteger("bench.sweeps",
                1000), Integer.getInteger("bench.requests", 300));
    }

    private void run(long rendered, int sweeps, int requests) throws Exception {
        if ((sweeps - 1) * 100L > rendered) { // the query sweeps' tasks are released into the same window
            throw new IllegalArgumentException("bench.rendered (" + rendered + ") must be at least 100 × (bench.sweeps "
                    + "− 1) = " + (sweeps - 1) * 100L);
        }
        Path home = Path.of(System.getProperty("sweepfarm.home", ".")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("sweepfarm-bench");
        try (Devstack devstack = Devstack.start(state.resolve("infra"), false)) {
            Endpoints e = devstack.endpoints();
            // Phase 1: nothing is released (a window of 0), so submissions are measured alone.
            AppProcess coordinator = launch(home, state, e, 0);
            List<Long> big = new ArrayList<>();
            List<Long> small = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                big.add(timed(() -> post(sweep("submit-bench", "{\"start\": 0, \"count\": " + HUNDRED_MILLION / 10
                        + "}", 10))));
                small.add(timed(() -> post(sweep("submit-bench", "{\"start\": 0, \"count\": 100}", 10))));
            }
            UUID target = post(sweep("render-bench", "{\"start\": 0, \"count\": " + HUNDRED_MILLION / 10 + "}", 10));
            // The submitted sweeps would compete with the measured one for the release window: cancel them.
            for (SweepView v : Json.fromString(get("/api/v1/sweeps?model=submit-bench&limit=" + 2 * requests),
                    SweepView[].class)) {
                control(v.id(), "cancel");
            }
            coordinator.close();

            // Phase 2: a large window; tasks flow to a fake worker that renders instantly (it is subscribed before
            // the coordinator starts, and keeps the records' bytes: parsing them is not the relay's cost).
            TaskReader reader = new TaskReader(e, "render-bench", rendered);
            coordinator = launch(home, state, e, rendered);
            List<RenderTask> tasks = reader.await();
            System.out.printf("release: %d tasks published into a %d-task window at %.0f tasks/s (first to last task "
                    + "read by the fake worker; %.0f tasks/s by the records' create times)%n", rendered, rendered,
                    reader.perSecond(), reader.perSecondByCreateTime());
            control(target, "pause"); // nothing more is released while results are recorded and reads measured
            coordinator.close();

            // Results: a backlog produced while the coordinator is down, then recorded by a fresh coordinator; the
            // rate runs from the first recorded result to the last.
            produceResults(e, tasks);
            coordinator = launch(home, state, e, rendered);
            long firstSeen = 0;
            long firstCount = 0;
            long done;
            while ((done = view(target).counts().get(ImageState.SUCCEEDED)) < rendered) {
                if (firstSeen == 0 && done > 0) {
                    firstSeen = System.nanoTime();
                    firstCount = done;
                }
                Thread.sleep(50);
            }
            double recordedPerSecond = firstSeen == 0 ? Double.NaN
                    : (rendered - firstCount) / ((System.nanoTime() - firstSeen) / 1e9);
            double rawPerSecond = rawInserts(e, tasks);
            System.out.printf("results: %d recorded at %.0f results/s; raw batched inserts of the same rows into a "
                    + "table of the same shape: %.0f rows/s; ratio %.2f%n", rendered, recordedPerSecond, rawPerSecond,
                    recordedPerSecond / rawPerSecond);

            // Phase 3: sweeps to query across, all rendered.
            for (int i = 0; i < sweeps - 1; i++) {
                post(sweep("query-bench", "{\"start\": " + (i * 7L) + ", \"count\": 10}", 5));
            }
            int across = (sweeps - 1) * 100;
            produceResults(e, readTasks(e, "query-bench", across));
            while (view(target).counts().get(ImageState.SUCCEEDED) < rendered || !allDone("query-bench", sweeps - 1)) {
                Thread.sleep(200);
            }

            // Reads are measured warm, as a serving coordinator runs them: each kind is first run unmeasured (the
            // coordinator was just restarted, and its first requests of a kind are compiled and planned on the way).
            int warmup = Integer.getInteger("bench.warmup", 200);
            List<Long> status = new ArrayList<>();
            for (int i = -warmup; i < requests; i++) {
                long t = timed(() -> view(target));
                if (i >= 0) {
                    status.add(t);
                }
            }
            List<Long> within = new ArrayList<>();
            List<Long> acrossSeed = new ArrayList<>();
            List<Long> acrossText = new ArrayList<>();
            for (int i = -warmup; i < 0; i++) {
                long seed = ((i + warmup) * 104729L) % (rendered / 20);
                page("sweep_id=" + target + "&state=SUCCEEDED&cfg_scale=1&seed_min=" + seed + "&limit=50");
                page("model=query-bench&seed=" + (seed % 7000) + "&limit=50");
                page("model=query-bench&state=SUCCEEDED&prompt_contains=FOX&cfg_scale=4&limit=50");
            }
            for (int i = 0; i < requests; i++) {
                long seed = (i * 7919L) % (rendered / 20);
                within.add(timed(() -> page("sweep_id=" + target + "&state=SUCCEEDED&cfg_scale=1&seed_min=" + seed
                        + "&limit=50")));
                acrossSeed.add(timed(() -> page("model=query-bench&seed=" + (seed % 7000) + "&limit=50")));
                acrossText.add(timed(() -> page("model=query-bench&state=SUCCEEDED&prompt_contains=FOX&cfg_scale=4"
                        + "&limit=50")));
            }
            List<Long> sql = bareProbe(e, target, requests);
            coordinator.close();

            System.out.println();
            System.out.println("| measure | p50 | p95 |");
            System.out.println("|---|---|---|");
            row("POST 10^8-image sweep", big);
            row("POST 10^3-image sweep", small);
            row("GET sweep (10^8 images, " + rendered + " rendered)", status);
            row("images page of 50 within the sweep (state, cfg, seed range)", within);
            row("images page of 50 across " + sweeps + " sweeps (model + seed)", acrossSeed);
            row("images page of 50 across " + sweeps + " sweeps (model + prompt substring)", acrossText);
            row("bare SQL of the row probe (50 ordinals, image + task)", sql);
        } finally {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private AppProcess launch(Path home, Path state, Endpoints e, long window) {
        Map<String, String> config = new LinkedHashMap<>(e.quarkusConfig());
        config.put("sweepfarm.coordinator.in-flight-per-model", Long.toString(window));
        config.put("sweepfarm.coordinator.auth.enabled", "false");
        config.put("sweepfarm.coordinator.require-served-model", "false"); // the bench's fake worker sends no heartbeats
        config.put("sweepfarm.coordinator.relay-batch-size", "5000");
        config.put("sweepfarm.coordinator.result-batch-size", "5000");
        config.put("quarkus.log.category.\"io.sweepfarm\".level", "WARN");
        AppProcess p = AppProcess.launch("coordinator", home.resolve("coordinator/target/quarkus-app"), Ports.free(),
                config, state.resolve("logs/coordinator-" + window + ".log"));
        p.awaitReady(Duration.ofSeconds(180));
        base = p.baseUrl();
        return p;
    }

    private static String sweep(String model, String seeds, int cfgs) {
        StringBuilder cfg = new StringBuilder();
        for (int i = 0; i < cfgs; i++) {
            cfg.append(i == 0 ? "" : ", ").append(i + 1);
        }
        return """
                {"model": "%s", "prompts": ["a red fox in the snow", "a lighthouse at dusk"],
                 "negative_prompts": ["blurry"], "cfg_scales": [%s], "steps": [20], "samplers": ["euler_a"],
                 "seeds": %s, "width": 512, "height": 512}""".formatted(model, cfg, seeds)
                .replace("\"prompts\": [\"a red fox in the snow\", \"a lighthouse at dusk\"]",
                        cfgs == 10 ? "\"prompts\": [\"a red fox in the snow\"]"
                                : "\"prompts\": [\"a red fox in the snow\", \"a lighthouse at dusk\"]");
    }

    private UUID post(String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sweeps"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
        }
        return UUID.fromString(Json.MAPPER.readTree(r.body()).get("id").asText());
    }

    private void control(UUID id, String action) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sweeps/" + id + "/" + action))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private boolean allDone(String model, int count) {
        String body = get("/api/v1/sweeps?model=" + model + "&state=COMPLETED&limit=" + count);
        return Json.fromString(body, SweepView[].class).length == count;
    }

    private SweepView view(UUID id) {
        return Json.fromString(get("/api/v1/sweeps/" + id), SweepView.class);
    }

    private ImagePage page(String query) {
        return Json.fromString(get("/api/v1/images?" + query), ImagePage.class);
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A fake worker subscribed to a model's task topic from before the coordinator starts: it keeps each record's
     * bytes and when it arrived, and parses them at the end.
     */
    private static final class TaskReader {
        private final List<byte[]> values = new ArrayList<>();
        private final Thread thread;
        private final long count;
        private volatile RuntimeException failure;
        private long firstNanos;
        private long lastNanos;
        private long firstCreate = Long.MAX_VALUE;
        private long lastCreate = Long.MIN_VALUE;

        TaskReader(Endpoints e, String model, long count) throws InterruptedException {
            this.count = count;
            Properties p = consumerProps(e, model);
            p.put("metadata.max.age.ms", "500");
            java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
            thread = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    c.subscribe(List.of(Topics.tasks(model)));
                    while (values.size() < count) {
                        var records = c.poll(Duration.ofMillis(100));
                        if (!c.assignment().isEmpty()) {
                            assigned.countDown();
                        }
                        long now = System.nanoTime();
                        for (ConsumerRecord<String, byte[]> r : records) {
                            if (values.isEmpty()) {
                                firstNanos = now;
                            }
                            lastNanos = now;
                            firstCreate = Math.min(firstCreate, r.timestamp());
                            lastCreate = Math.max(lastCreate, r.timestamp());
                            values.add(r.value());
                        }
                    }
                } catch (RuntimeException ex) {
                    failure = ex;
                    assigned.countDown();
                }
            }, "bench-task-reader");
            thread.start();
            if (!assigned.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the fake worker got no partitions of " + Topics.tasks(model));
            }
        }

        List<RenderTask> await() throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw failure;
            }
            List<RenderTask> tasks = new ArrayList<>(values.size());
            values.forEach(v -> tasks.add(Json.fromBytes(v, RenderTask.class)));
            return tasks;
        }

        double perSecond() {
            return (count - 1) / ((lastNanos - firstNanos) / 1e9);
        }

        double perSecondByCreateTime() {
            return (count - 1) / ((lastCreate - firstCreate) / 1e3);
        }
    }

    private static Properties consumerProps(Endpoints e, String model) {
        Properties p = new Properties();
        p.put("bootstrap.servers", e.kafkaBootstrap());
        p.put("group.id", "bench-worker-" + model);
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "10000");
        return p;
    }

    /** Reads {@code count} tasks of the model's topic, as a worker that renders instantly would. */
    private static List<RenderTask> readTasks(Endpoints e, String model, long count) {
        Properties p = consumerProps(e, model);
        List<RenderTask> tasks = new ArrayList<>((int) count);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.tasks(model)));
            while (tasks.size() < count) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    tasks.add(Json.fromBytes(r.value(), RenderTask.class));
                }
            }
        }
        return tasks;
    }

    private static void produceResults(Endpoints e, List<RenderTask> tasks) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", e.kafkaBootstrap());
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<?>> acks = new ArrayList<>();
            for (RenderTask t : tasks) {
                RenderResult r = new RenderResult(t.imageId(), t.sweepId(), t.attempt(),
                        RenderResult.Outcome.SUCCEEDED, t.outputKey(), "ab".repeat(32), "bench/cpu", 1234, null,
                        null, Instant.now());
                acks.add(producer.send(new ProducerRecord<>(Topics.RESULTS, t.imageId().toString(),
                        Json.toBytes(r))));
            }
            for (Future<?> a : acks) {
                a.get();
            }
        }
        System.out.printf("(fake worker produced %d results in %.1f s)%n", tasks.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** The same rows inserted by hand, in batches of 5000 with unnest, into a table of the same shape. */
    private static double rawInserts(Endpoints e, List<RenderTask> tasks) throws Exception {
        try (Connection c = DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
                Statement s = c.createStatement()) {
            s.execute("create table bench_image (like image including all)");
            long t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into bench_image (sweep_id, ordinal, state, attempts, object_key, sha256, worker,
                                             render_ms, completed_at)
                    select * from unnest(?::uuid[], ?::bigint[], ?::text[], ?::int[], ?::text[], ?::text[],
                                         ?::text[], ?::bigint[], ?::timestamptz[])""")) {
                for (int from = 0; from < tasks.size(); from += 5000) {
                    List<RenderTask> batch = tasks.subList(from, Math.min(tasks.size(), from + 5000));
                    int n = batch.size();
                    Object[] sweeps = new Object[n];
                    Long[] ordinals = new Long[n];
                    String[] states = new String[n];
                    Integer[] attempts = new Integer[n];
                    String[] keys = new String[n];
                    String[] shas = new String[n];
                    String[] workers = new String[n];
                    Long[] ms = new Long[n];
                    Timestamp[] at = new Timestamp[n];
                    for (int i = 0; i < n; i++) {
                        RenderTask t = batch.get(i);
                        sweeps[i] = t.sweepId();
                        ordinals[i] = t.ordinal();
                        states[i] = "SUCCEEDED";
                        attempts[i] = 1;
                        keys[i] = t.outputKey();
                        shas[i] = "ab".repeat(32);
                        workers[i] = "bench/cpu";
                        ms[i] = 1234L;
                        at[i] = Timestamp.from(Instant.now());
                    }
                    ps.setArray(1, c.createArrayOf("uuid", sweeps));
                    ps.setArray(2, c.createArrayOf("bigint", ordinals));
                    ps.setArray(3, c.createArrayOf("text", states));
                    ps.setArray(4, c.createArrayOf("integer", attempts));
                    ps.setArray(5, c.createArrayOf("text", keys));
                    ps.setArray(6, c.createArrayOf("text", shas));
                    ps.setArray(7, c.createArrayOf("text", workers));
                    ps.setArray(8, c.createArrayOf("bigint", ms));
                    ps.setArray(9, c.createArrayOf("timestamptz", at));
                    ps.executeUpdate();
                    c.commit();
                }
            }
            double perSecond = tasks.size() / ((System.nanoTime() - t0) / 1e9);
            c.setAutoCommit(true);
            s.execute("drop table bench_image");
            return perSecond;
        }
    }

    /**
     * The query service's row probe ({@code ImageQuery.ROW_PROBE}: the rows of 50 ordinals from image and task in
     * one statement), run bare over JDBC.
     */
    private static List<Long> bareProbe(Endpoints e, UUID sweep, int requests) throws Exception {
        List<Long> times = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
                PreparedStatement probe = c.prepareStatement("""
                        with k(sweep_id, ordinal) as (select * from unnest(?::uuid[], ?::bigint[]))
                        select i.sweep_id, i.ordinal, i.state, i.attempts, i.object_key, i.sha256, i.worker,
                               i.render_ms, i.warnings::text, i.error, i.completed_at
                        from image i join k on i.sweep_id = k.sweep_id and i.ordinal = k.ordinal
                        union all
                        select t.sweep_id, t.ordinal, t.state, t.attempts, null, null, null, null, null, null, null
                        from task t join k on t.sweep_id = k.sweep_id and t.ordinal = k.ordinal""")) {
            for (int i = 0; i < requests; i++) {
                Object[] sweeps = new Object[50];
                Long[] ordinals = new Long[50];
                Arrays.fill(sweeps, sweep);
                for (int k = 0; k < 50; k++) {
                    ordinals[k] = (i * 7919L + k * 10) % 900_000;
                }
                long t0 = System.nanoTime();
                probe.setArray(1, c.createArrayOf("uuid", sweeps));
                probe.setArray(2, c.createArrayOf("bigint", ordinals));
                try (var rs = probe.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(3);
                    }
                }
                times.add(System.nanoTime() - t0);
            }
        }
        return times;
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static long timed(Call c) throws Exception {
        long t0 = System.nanoTime();
        c.call();
        return System.nanoTime() - t0;
    }

    private static void row(String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("| %s | %.2f ms | %.2f ms |%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.95) - 1] / 1e6);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
