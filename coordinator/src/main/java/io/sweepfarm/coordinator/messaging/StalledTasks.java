package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.Daemons;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.sweep.SweepCounters;
import io.sweepfarm.coordinator.task.TaskRows;
import io.sweepfarm.coordinator.task.TaskRows.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;

/**
 * Re-releases stalled tasks: released and acknowledged by Kafka more than {@code stall-timeout} ago and still
 * without a result (a worker lost with its partition's lag, a result never published). Kafka already redelivers the
 * tasks of a crashed worker, so this is a safety net. A stalled task is released again with its attempt raised
 * (the relay publishes it), marked FAILED once it has used {@code max-attempts}, and cancelled if its sweep was.
 */
@ApplicationScoped
public class StalledTasks {

    private static final int BATCH = 1000;

    @Inject
    CoordinatorConfig config;

    @Inject
    EntityManager em;

    @Inject
    TaskRelay relay;

    private final ScheduledExecutorService executor = Daemons.scheduler("stalled-tasks");

    void onStart(@Observes StartupEvent event) {
        long every = config.stallCheckInterval().toMillis();
        executor.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    /** One pass; returns how many stalled tasks it handled. */
    int check() {
        try {
            int handled = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                    .doReturningWork(this::handle));
            if (handled > 0) {
                relay.nudge();
            }
            return handled;
        } catch (RuntimeException e) {
            Log.debugf("Checking for stalled tasks failed (%s); retried in %s", e.getMessage(),
                    config.stallCheckInterval());
            return 0;
        }
    }

    private int handle(Connection c) throws SQLException {
        Instant cutoff = Instant.now().minus(config.stallTimeout());
        List<UUID> sweeps = TaskRows.sweepsWithStalled(c, cutoff, 100);
        if (sweeps.isEmpty()) {
            return 0;
        }
        SweepCounters.lock(c, sweeps);
        Map<UUID, SweepState> states = states(c, sweeps);
        List<TaskRef> stalled = TaskRows.lockStalled(c, sweeps, cutoff, BATCH);
        List<TaskRows.Finish> finishes = new ArrayList<>();
        List<TaskRef> again = new ArrayList<>();
        for (TaskRef t : stalled) {
            if (states.get(t.sweepId()) == SweepState.CANCELLED) {
                finishes.add(TaskRows.Finish.cancelled(t));
            } else if (t.attempt() >= config.maxAttempts()) {
                finishes.add(TaskRows.Finish.failed(t, "no result after " + t.attempt()
                        + " releases; the task was given up"));
            } else {
                again.add(t);
            }
        }
        SweepCounters.Deltas deltas = new SweepCounters.Deltas();
        TaskRows.finish(c, finishes, deltas);
        TaskRows.rerelease(c, again);
        SweepCounters.apply(c, deltas);
        long gaveUp = finishes.stream().filter(f -> f.state() == io.sweepfarm.common.api.ImageState.FAILED).count();
        if (gaveUp > 0) {
            Log.warnf("%d tasks got no result after %d releases and were marked FAILED; check the workers and the "
                    + "results topic", gaveUp, config.maxAttempts());
        }
        if (!again.isEmpty()) {
            Log.warnf("%d tasks had no result within %s and are released again", again.size(),
                    config.stallTimeout());
        }
        return stalled.size();
    }

    private static Map<UUID, SweepState> states(Connection c, List<UUID> sweeps) throws SQLException {
        Map<UUID, SweepState> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, state from sweep where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), SweepState.valueOf(rs.getString(2)));
                }
            }
        }
        return out;
    }
}
