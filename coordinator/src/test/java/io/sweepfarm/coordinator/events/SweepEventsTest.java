package io.sweepfarm.coordinator.events;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.FinishedImage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** GET /api/v1/sweeps/{id}/events streams progress and each finished image, and ends with the sweep. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class SweepEventsTest {

    @TestHTTPResource("/api/v1/sweeps/")
    URL sweeps;

    private record Event(String name, String data) {
    }

    @Test
    void theStreamShowsProgressAndEveryFinishedImageAndEndsWhenTheSweepIsComplete() throws Exception {
        Sweeps spec = aSweep().withSeedRange(0, 4);
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(sweeps + id.toString() + "/events")).header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            Thread readerThread = new Thread(() -> read(response, events));
            readerThread.setDaemon(true);
            readerThread.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.name().equals("progress")));
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 4);
            for (RenderTask t : reader.poll()) {
                Infra.sendResult(t.params().seed() == 3 ? Infra.failed(t, "no") : Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !readerThread.isAlive());

            List<FinishedImage> images = events.stream().filter(e -> e.name().equals("image"))
                    .map(e -> Json.fromString(e.data(), FinishedImage.class)).toList();
            assertThat(images).hasSize(4).allMatch(i -> i.sweepId().equals(id));
            assertThat(images).extracting(FinishedImage::ordinal).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
            assertThat(images).filteredOn(i -> i.state() == ImageState.FAILED).singleElement()
                    .satisfies(i -> assertThat(i.ordinal()).isEqualTo(3));
            SweepView last = events.stream().filter(e -> e.name().equals("progress"))
                    .map(e -> Json.fromString(e.data(), SweepView.class)).reduce((a, b) -> b).orElseThrow();
            assertThat(last.state()).isEqualTo(SweepState.COMPLETED);
            assertThat(last.counts()).containsEntry(ImageState.SUCCEEDED, 3L).containsEntry(ImageState.FAILED, 1L);
        }
    }

    private static void read(HttpResponse<java.io.InputStream> response, List<Event> into) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && name != null) {
                    into.add(new Event(name, data.toString()));
                    name = null;
                    data.setLength(0);
                }
            }
        } catch (java.io.IOException e) {
            // stream closed
        }
    }
}
