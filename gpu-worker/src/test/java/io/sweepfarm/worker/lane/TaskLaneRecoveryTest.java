package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.devstack.testing.TcpProxy;
import io.sweepfarm.worker.lane.Outages.Dependency;
import io.sweepfarm.worker.storage.ImageStore;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A lane against real Kafka and an S3 that goes away: while S3 refuses connections, rendered images are kept and
 * their uploads retried with growing pauses, nothing is committed, and the outage is logged once; when S3 returns,
 * every task is stored, reported and committed, and the return is logged once.
 */
@RequiresInfra
class TaskLaneRecoveryTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    /** Keeps what a logger logs, formatted as it is logged. */
    static final class Captured extends Handler implements AutoCloseable {
        /** A message and its level. */
        record Line(Level level, String message) {
        }

        final List<Line> lines = new CopyOnWriteArrayList<>();
        private final Logger logger;

        Captured(Class<?> type) {
            logger = Logger.getLogger(type.getName());
            logger.addHandler(this);
        }

        /** Messages logged at {@code level} (by value: WARN is WARNING). */
        List<String> at(Level level) {
            return lines.stream().filter(l -> l.level().intValue() == level.intValue()).map(Line::message).toList();
        }

        /** How many messages contain {@code text}, at any level. */
        long count(String text) {
            return lines.stream().filter(l -> l.message().contains(text)).count();
        }

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length > 0) {
                try {
                    message = String.format(message, parameters);
                } catch (java.util.IllegalFormatException e) {
                    message = java.text.MessageFormat.format(message, parameters);
                }
            }
            lines.add(new Line(record.getLevel(), message));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void anS3OutageHoldsTheTasksRetriesWithGrowingPausesAndLosesNoneWhenS3Returns() throws Exception {
        String model = "s3-outage-" + UUID.randomUUID().toString().substring(0, 8);
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tasks.add(Tasks.aTask(model, sweep, i));
        }
        Outages outages = new Outages();
        try (TcpProxy s3 = new TcpProxy(URI.create(infra.s3Endpoint()).getPort(), true);
                Captured log = new Captured(Outages.class)) {
            ImageStore store = new ImageStore(DevstackS3.config(infra, "http://127.0.0.1:" + s3.port()));
            store.ensureBucket();
            s3.cut();
            TaskTopics.send(infra.kafkaBootstrap(), tasks, null);
            try (LaneRunner lane = new LaneRunner(infra.kafkaBootstrap(), model, "outage/cpu", new StubRenderer(0),
                    store, Lanes.settings(2, 3, 3), SweepStates.NONE, outages, Map.of())) {
                // Each held image retries on its own; a few rounds of pauses go by.
                await().atMost(Duration.ofSeconds(60)).until(() -> outages.current().containsKey(Dependency.S3)
                        && outages.current().get(Dependency.S3).failures() >= 20);
                assertThat(TaskTopics.lag(infra.kafkaBootstrap(), model)).isEqualTo(tasks.size());

                s3.restore();
                List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), sweep, tasks.size(),
                        Duration.ofMinutes(2));
                await().atMost(Duration.ofSeconds(30)).until(() -> TaskTopics.lag(infra.kafkaBootstrap(), model) == 0);
                assertThat(results).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
                assertThat(lane.died.get()).isNull();
            }
            assertThat(outages.current()).isEmpty();
            assertThat(log.at(Level.WARNING)).singleElement().asString().startsWith("S3 is unavailable");
            assertThat(log.at(Level.INFO)).singleElement().asString().startsWith("S3 is available again");
        }
        MinioClient direct = MinioClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).build();
        for (RenderTask t : tasks) {
            assertThat(direct.statObject(StatObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())
                    .size()).isPositive();
        }
    }
}
