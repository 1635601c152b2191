package io.sweepfarm.devstack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.Ports;
import io.sweepfarm.devstack.ServerControl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevstackTestResourceTest {

    @Test
    void theSharedServersCanBeStoppedAndStartedAgainThroughTheStaticControls() throws Exception {
        Map<String, String> config = new DevstackTestResource().start();
        Endpoints e = DevstackTestResource.endpoints();
        assertThat(config).containsEntry("quarkus.datasource.jdbc.url", e.jdbcUrl());
        try (Connection c = connect(e)) {
            c.createStatement().execute("create table control_probe (v int); insert into control_probe values (7)");
        }

        ServerControl pg = DevstackTestResource.postgres();
        pg.stop();
        assertThat(pg.isRunning()).isFalse();
        assertThat(pg.pid()).isEqualTo(-1);
        pg.start();
        assertThat(pg.isRunning()).isTrue();
        try (Connection c = connect(e);
                ResultSet rs = c.createStatement().executeQuery("select v from control_probe")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }

        Map<ServerControl, String> children = Map.of(DevstackTestResource.kafka(), e.kafkaBootstrap(),
                DevstackTestResource.s3(), e.s3Endpoint());
        for (var child : children.entrySet()) {
            ServerControl server = child.getKey();
            int port = port(child.getValue());
            long pid = server.pid();
            server.stop();
            assertThat(Ports.isListening(port)).as("%s stopped", server).isFalse();
            server.start();
            assertThat(Ports.isListening(port)).as("%s started again", server).isTrue();
            assertThat(server.pid()).isNotEqualTo(pid);
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static Connection connect(Endpoints e) throws SQLException {
        return DriverManager.getConnection(e.jdbcUrl(), e.dbUser(), e.dbPassword());
    }
}
