package io.sweepfarm.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V2 carries a database of the row-per-image schema over: sweeps keep their images' states and counts, released
 * images keep rows (in flight ones are handed back for the new task topics), old image ids still resolve.
 */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class MigrationTest {

    @Test
    void existingSweepsAndImagesAreCarriedOverToTheSpecModel() throws Exception {
        String db = "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Infra.execute("create database " + db);
        String url = Infra.endpoints().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        Flyway.configure().dataSource(url, Infra.endpoints().dbUser(), Infra.endpoints().dbPassword())
                .locations("classpath:db/migration").target("1").load().migrate();
        UUID running = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        UUID succeededId = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, Infra.endpoints().dbUser(),
                Infra.endpoints().dbPassword()); Statement s = c.createStatement()) {
            String spec = """
                    {"name":"old","model":"sd15","priority":0,"prompts":["a fox"],"negative_prompts":[""],
                     "init_images":[null],"strengths":[null],"samplers":["euler_a"],"steps":[20],
                     "cfg_scales":[7.5],"seeds":[1,2,3,4,5],"width":512,"height":512,"noise_source":"torch_cpu",
                     "prompt_overflow":"TRUNCATE"}""";
            for (UUID id : new UUID[] {running, cancelled}) {
                s.execute("insert into sweep (id, name, model, state, spec, image_count, created_at, updated_at) "
                        + "values ('" + id + "', 'old', 'sd15', '" + (id == running ? "RUNNING" : "CANCELLED")
                        + "', '" + spec + "', 5, now(), now())");
            }
            String[][] images = {
                {succeededId.toString(), running.toString(), "0", "SUCCEEDED", "1"},
                {UUID.randomUUID().toString(), running.toString(), "1", "FAILED", "3"},
                {UUID.randomUUID().toString(), running.toString(), "2", "QUEUED", "2"},
                {UUID.randomUUID().toString(), running.toString(), "3", "PENDING", "0"},
                {UUID.randomUUID().toString(), running.toString(), "4", "PENDING", "0"},
                {UUID.randomUUID().toString(), cancelled.toString(), "0", "SUCCEEDED", "1"},
                {UUID.randomUUID().toString(), cancelled.toString(), "1", "QUEUED", "1"},
                {UUID.randomUUID().toString(), cancelled.toString(), "2", "CANCELLED", "0"},
                {UUID.randomUUID().toString(), cancelled.toString(), "3", "CANCELLED", "0"},
                {UUID.randomUUID().toString(), cancelled.toString(), "4", "CANCELLED", "0"}};
            for (String[] i : images) {
                s.execute("insert into image (id, sweep_id, ordinal, prompt, negative_prompt, cfg_scale, steps, sampler,"
                        + " seed, width, height, noise_source, prompt_overflow, state, attempts, object_key, sha256) "
                        + "values ('" + i[0] + "', '" + i[1] + "', " + i[2] + ", 'a fox', '', 7.5, 20, 'euler_a', "
                        + (Integer.parseInt(i[2]) + 1) + ", 512, 512, 'torch_cpu', 'TRUNCATE', '" + i[3] + "', " + i[4]
                        + ", " + (i[3].equals("SUCCEEDED") ? "'sweeps/x.png', 'ab'" : "null, null") + ")");
            }
        }

        Flyway.configure().dataSource(url, Infra.endpoints().dbUser(), Infra.endpoints().dbPassword())
                .locations("classpath:db/migration").load().migrate();

        try (Connection c = DriverManager.getConnection(url, Infra.endpoints().dbUser(),
                Infra.endpoints().dbPassword()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select release_cursor, queued, succeeded, failed, cancelled, "
                    + "spec->'sizes'->0->>0, spec->>'format', jsonb_array_length(spec->'init_images') "
                    + "from sweep where id = '" + running + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3); // ordinal 2 was the last released
                assertThat(rs.getLong(2)).isZero();     // in flight on v1 topics: handed back
                assertThat(rs.getLong(3)).isEqualTo(1);
                assertThat(rs.getLong(4)).isEqualTo(1);
                assertThat(rs.getLong(5)).isZero();
                assertThat(rs.getString(6)).isEqualTo("512");
                assertThat(rs.getString(7)).isEqualTo("2");
                assertThat(rs.getInt(8)).isZero();
            }
            try (ResultSet rs = s.executeQuery("select ordinal, state, attempts from task where sweep_id = '"
                    + running + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("PENDING");
                assertThat(rs.getInt(3)).isEqualTo(1);
                assertThat(rs.next()).isFalse();
            }
            try (ResultSet rs = s.executeQuery("select succeeded, cancelled, queued, release_cursor from sweep "
                    + "where id = '" + cancelled + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(4);
                assertThat(rs.getLong(3)).isZero();
                assertThat(rs.getLong(4)).isEqualTo(2);
            }
            try (ResultSet rs = s.executeQuery("select l.ordinal, i.object_key from image_legacy_id l join image i "
                    + "on i.sweep_id = l.sweep_id and i.ordinal = l.ordinal where l.id = '" + succeededId + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.getString(2)).isEqualTo("sweeps/x.png");
            }
            try (ResultSet rs = s.executeQuery("select count(*) from image")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2 + 2); // running: 0, 1; cancelled: 0, and 1 (was in flight)
            }
        }
    }
}
