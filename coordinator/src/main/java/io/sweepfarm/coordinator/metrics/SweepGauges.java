package io.sweepfarm.coordinator.metrics;

import static io.sweepfarm.common.metrics.MetricNames.TAG_MODEL;
import static io.sweepfarm.common.metrics.MetricNames.TAG_STATE;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.metrics.MetricNames;
import io.sweepfarm.coordinator.Daemons;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.Session;

/**
 * Gauges read from the {@code sweep} table: sweeps by state ({@link MetricNames#SWEEPS}) and tasks in flight per model
 * from the sweeps' {@code queued} counters ({@link MetricNames#TASKS_IN_FLIGHT}). One grouped query over the sweep
 * table (one row per sweep, never per image) every {@value #REFRESH_SECONDS} s refreshes both; a scrape reads the last values
 * and never queries. A model's gauge appears once it has had a sweep.
 */
@ApplicationScoped
public class SweepGauges {

    static final long REFRESH_SECONDS = 5;

    private final MeterRegistry registry;
    private final EntityManager em;
    private final Map<SweepState, AtomicLong> byState = new EnumMap<>(SweepState.class);
    private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Daemons.scheduler("sweep-gauges");
    private volatile boolean failing;

    SweepGauges(MeterRegistry registry, EntityManager em) {
        this.registry = registry;
        this.em = em;
        for (SweepState s : SweepState.values()) {
            AtomicLong value = new AtomicLong();
            byState.put(s, value);
            Gauge.builder(MetricNames.SWEEPS, value, AtomicLong::get).description("Sweeps in each state")
                    .tag(TAG_STATE, s.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    void onStart(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    void refresh() {
        Map<SweepState, Long> states = new EnumMap<>(SweepState.class);
        Map<String, Long> queued = new HashMap<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class)
                    .doWork(c -> read(c, states, queued)));
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                Log.debugf("Sweep gauges not refreshed (%s); they keep their last values", e.getMessage());
            }
            return; // the database is down: health and result recording report it
        }
        failing = false;
        byState.forEach((s, v) -> v.set(states.getOrDefault(s, 0L)));
        queued.forEach((model, n) -> inFlight.computeIfAbsent(model, this::registerModel).set(n));
        inFlight.forEach((model, v) -> v.set(queued.getOrDefault(model, 0L)));
    }

    private AtomicLong registerModel(String model) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(MetricNames.TASKS_IN_FLIGHT, value, AtomicLong::get)
                .description("Tasks released and not finished, per model (the in-flight cap bounds it)")
                .tag(TAG_MODEL, model).register(registry);
        return value;
    }

    private static void read(Connection c, Map<SweepState, Long> states, Map<String, Long> queued)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select model, state, count(*), coalesce(sum(queued), 0) from sweep group by model, state");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                states.merge(SweepState.valueOf(rs.getString(2)), rs.getLong(3), Long::sum);
                queued.merge(rs.getString(1), rs.getLong(4), Long::sum);
            }
        }
    }
}
