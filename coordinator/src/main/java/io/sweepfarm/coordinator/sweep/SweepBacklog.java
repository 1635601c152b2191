package io.sweepfarm.coordinator.sweep;

import io.agroal.api.AgroalDataSource;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.fleet.ModelBacklog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What waits for each model, for the fleet view: the images of RUNNING sweeps not finished yet (released or not),
 * from the sweeps' counters in one small query (O(running sweeps), never a scan of images).
 */
@ApplicationScoped
public class SweepBacklog implements ModelBacklog {

    @Inject
    AgroalDataSource dataSource;

    @Override
    public Optional<Map<String, Long>> waitingTasks() {
        Map<String, Long> waiting = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select model, sum(image_count - succeeded - failed - cancelled) from sweep where state = ?
                group by model""")) {
            ps.setString(1, SweepState.RUNNING.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.put(rs.getString(1), rs.getLong(2));
                }
            }
            return Optional.of(waiting);
        } catch (SQLException e) {
            return Optional.empty(); // the database is unreachable: unknown, not zero
        }
    }
}
