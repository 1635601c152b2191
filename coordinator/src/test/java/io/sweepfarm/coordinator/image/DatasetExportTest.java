package io.sweepfarm.coordinator.image;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class DatasetExportTest {

    /** A sweep of four images whose renders are in S3, as workers would have left them. */
    private static UUID renderedSweep() {
        Sweeps spec = aSweep().withCfgScales(4.0, 8.0).withSeeds(11L, 12L).withSize(16, 8);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 4);
            for (RenderTask t : reader.poll()) {
                BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
                img.setRGB(0, 0, (int) t.params().seed());
                Infra.putObject(t.outputKey(), PngText.write(img, Map.of("parameters", "seed " + t.params().seed())));
                Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Infra.imagesIn(id, "SUCCEEDED") == 4);
            return id;
        }
    }

    @Test
    void anImagefolderZipHoldsEveryRenderedImageAndAMetadataLineWithItsParameters() throws Exception {
        UUID id = renderedSweep();
        byte[] zip = given().when().get("/api/v1/sweeps/" + id + "/export?format=imagefolder").then()
                .statusCode(200).contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrder("images/000000000.png", "images/000000001.png",
                "images/000000002.png", "images/000000003.png", "metadata.jsonl");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : new String(entries.get("metadata.jsonl")).split("\n")) {
            rows.add(Json.MAPPER.readTree(line));
        }
        assertThat(rows).hasSize(4);
        for (JsonNode row : rows) {
            byte[] png = entries.get(row.get("file_name").asText());
            assertThat(PngText.readImage(png).getRGB(0, 0) & 0xffffff).isEqualTo(row.get("seed").asInt());
            assertThat(row.get("sweep_id").asText()).isEqualTo(id.toString());
            assertThat(row.has("cfg_scale") && row.has("steps") && row.has("sampler") && row.has("prompt")).isTrue();
            // Every parameter of the image, the ones formats used to leave out too.
            assertThat(row.get("prompt_overflow").asText()).isEqualTo("TRUNCATE");
            assertThat(row.get("noise_source").asText()).isEqualTo("torch_cpu");
            assertThat(row.get("model").asText()).startsWith("test-");
            assertThat(row.get("width").asInt()).isEqualTo(16);
            assertThat(row.get("image_id").asText()).isNotBlank();
        }
    }

    @Test
    void aWebdatasetTarHoldsPngAndJsonPerSampleAndFiltersSelectASubset() throws Exception {
        UUID id = renderedSweep();
        byte[] tar = given().when().get("/api/v1/sweeps/" + id + "/export?format=webdataset&seed=12").then()
                .statusCode(200).extract().asByteArray();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).hasSize(4);
        for (String name : entries.keySet()) {
            if (name.endsWith(".json")) {
                JsonNode sample = Json.MAPPER.readTree(entries.get(name));
                assertThat(sample.get("seed").asLong()).isEqualTo(12);
                assertThat(entries).containsKey(name.replace(".json", ".png"));
            }
        }
        given().when().get("/api/v1/sweeps/" + id + "/export?format=parquet").then().statusCode(400)
                .body("field", equalTo("format"));
    }
}
