package io.sweepfarm.coordinator.health;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Outages of the database and the image storage as REST requests meet them. A request that fails because one is
 * unreachable answers a 503 problem naming it ({@code "the database is unreachable; retry later"}) instead of a 500.
 * The outage is logged once, when it is first met, and its end once, with its length: while it lasts, a probe checks
 * every {@link #PROBE_INTERVAL} whether the server answers again.
 */
@ApplicationScoped
public class Dependencies {

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final long PROBE_CACHE_NANOS = Duration.ofSeconds(1).toNanos();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ImageStore store;

    private final Map<Dependency, Instant> downSince = new ConcurrentHashMap<>();
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dependency-probe");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dependency-check");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastDatabaseCheck;
    private volatile boolean lastDatabaseAnswer = true;

    void onStop(@Observes ShutdownEvent event) {
        probes.shutdownNow();
        checks.shutdownNow();
    }

    /**
     * The 503 to answer for {@code failure} if it shows the database or the storage unreachable (recording the
     * outage), or null when it is something else.
     */
    public ProblemException.Unavailable unavailable(Throwable failure) {
        Dependency d = Outages.classify(failure);
        if (d == null && Outages.involvesDatabase(failure) && !databaseAnswers()) {
            d = Dependency.DATABASE;
        }
        if (d == null) {
            return null;
        }
        down(d, failure);
        return unavailable(d);
    }

    public static ProblemException.Unavailable unavailable(Dependency d) {
        return new ProblemException.Unavailable(d.description + " is unreachable; retry later", d.id,
                RETRY_AFTER_SECONDS);
    }

    /** Records that {@code d} is unreachable; the first time, logs it and starts probing for its return. */
    public void down(Dependency d, Throwable cause) {
        if (downSince.putIfAbsent(d, Instant.now()) == null) {
            Log.warnf("%s is unreachable (%s): requests that need it answer 503 until it is back; checking every %d s",
                    capitalised(d), Outages.rootMessage(cause), PROBE_INTERVAL.toSeconds());
            scheduleProbe(d);
        }
    }

    /** Whether an outage of {@code d} is under way (as last seen by a request or the probe). */
    public boolean isDown(Dependency d) {
        return downSince.containsKey(d);
    }

    private void scheduleProbe(Dependency d) {
        try {
            probes.schedule(() -> probe(d), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private void probe(Dependency d) {
        boolean answers = switch (d) {
            case DATABASE -> checkDatabase();
            case STORAGE -> store.reachable();
        };
        if (answers) {
            Instant since = downSince.remove(d);
            if (since != null) {
                Log.infof("%s is reachable again; it was unreachable for %d s", capitalised(d),
                        Duration.between(since, Instant.now()).toSeconds());
            }
        } else {
            scheduleProbe(d);
        }
    }

    /** Whether the database answers now (checked at most once a second, within 3 s). */
    boolean databaseAnswers() {
        long now = System.nanoTime();
        if (now - lastDatabaseCheck < PROBE_CACHE_NANOS) {
            return lastDatabaseAnswer;
        }
        boolean answer = checkDatabase();
        lastDatabaseAnswer = answer;
        lastDatabaseCheck = now;
        return answer;
    }

    private boolean checkDatabase() {
        Future<Boolean> check = checks.submit(() -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        });
        try {
            return check.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            check.cancel(true);
            return false;
        }
    }

    private static String capitalised(Dependency d) {
        return Character.toUpperCase(d.description.charAt(0)) + d.description.substring(1);
    }
}
