package io.sweepfarm.coordinator.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.coordinator.Daemons;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.state.Lifecycles;
import io.sweepfarm.coordinator.state.StateMachine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How fast each active sweep finishes images: samples the finished-image counters of the RUNNING and PAUSED sweeps
 * (one indexed query, O(active sweeps), never a scan of images) every {@code pace-sample-interval} and keeps a
 * minute of samples per sweep. Every coordinator samples the shared counters, so each reports the same pace.
 */
@ApplicationScoped
public class SweepPace {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String ACTIVE = StateMachine.sqlList(Lifecycles.ACTIVE);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CoordinatorConfig config;

    private record Sample(long nanos, long done) {
    }

    private final Map<UUID, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Daemons.scheduler("sweep-pace");

    void onStart(@Observes StartupEvent event) {
        long every = config.paceSampleInterval().toMillis();
        sampler.scheduleWithFixedDelay(this::sample, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        sampler.shutdownNow();
    }

    void sample() {
        long now = System.nanoTime();
        Set<UUID> seen = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, succeeded + failed + cancelled from sweep where state in " + ACTIVE)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    seen.add(id);
                    Deque<Sample> d = samples.computeIfAbsent(id, k -> new ArrayDeque<>());
                    synchronized (d) {
                        d.addLast(new Sample(now, rs.getLong(2)));
                        while (d.size() > 2 && now - d.peekFirst().nanos() > WINDOW_NANOS) {
                            d.removeFirst();
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            Log.debugf("Sampling sweep progress failed: %s", e.getMessage());
            return;
        }
        samples.keySet().retainAll(seen);
    }

    /** Images finished per second over the last minute (0 while fewer than two samples exist or none finished). */
    public double imagesPerSecond(UUID sweep) {
        Deque<Sample> d = samples.get(sweep);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            if (d.size() < 2) {
                return 0;
            }
            Sample first = d.peekFirst();
            Sample last = d.peekLast();
            double seconds = (last.nanos() - first.nanos()) / 1e9;
            return seconds <= 0 ? 0 : Math.max(0, last.done() - first.done()) / seconds;
        }
    }

    /** Seconds until {@code remaining} more images are finished at the current pace, or null if unknown. */
    public Long etaSeconds(UUID sweep, long remaining) {
        if (remaining <= 0) {
            return 0L;
        }
        double rate = imagesPerSecond(sweep);
        return rate <= 0 ? null : (long) Math.ceil(remaining / rate);
    }
}
