package io.sweepfarm.coordinator.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.coordinator.task.TaskRows.Finished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Finished images as they are recorded, for live views (the events stream of a sweep, the web UI). The transaction
 * that records results also sends a PostgreSQL {@code NOTIFY} with the finished ordinals (compressed to ranges), so
 * the announcement is delivered exactly when the results commit and reaches every coordinator, whichever of them
 * recorded the results. Each coordinator listens on one connection and hands the images to the subscribers of their
 * sweep. Announcements are best effort: a subscriber that missed some reads them from the query API.
 */
@ApplicationScoped
public class SweepEvents {

    static final String CHANNEL = "sweepfarm_images";
    private static final int MAX_PAYLOAD = 7000;

    @Inject
    AgroalDataSource dataSource;

    private final Map<UUID, Set<Consumer<Finished>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread listener;

    void onStart(@Observes StartupEvent event) {
        listener = new Thread(this::listen, "sweep-events");
        listener.setDaemon(true);
        listener.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Receives every image of {@code sweep} finished from now on, on the listener thread; close to stop. */
    public AutoCloseable subscribe(UUID sweep, Consumer<Finished> consumer) {
        subscribers.computeIfAbsent(sweep, k -> new CopyOnWriteArraySet<>()).add(consumer);
        return () -> subscribers.computeIfPresent(sweep, (k, set) -> {
            set.remove(consumer);
            return set.isEmpty() ? null : set;
        });
    }

    /** Sends the finished images with the caller's transaction (delivered when it commits). */
    public void announce(Connection c, List<Finished> finished) throws SQLException {
        if (finished.isEmpty()) {
            return;
        }
        Map<UUID, List<Finished>> bySweep = new TreeMap<>();
        finished.forEach(f -> bySweep.computeIfAbsent(f.sweepId(), k -> new ArrayList<>()).add(f));
        List<String> payloads = new ArrayList<>();
        for (Map.Entry<UUID, List<Finished>> e : bySweep.entrySet()) {
            payloads.addAll(encode(e.getKey(), e.getValue()));
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_notify('" + CHANNEL + "', p) from unnest(?) p")) {
            ps.setArray(1, c.createArrayOf("text", payloads.toArray()));
            ps.executeQuery().close();
        }
    }

    /** {@code <sweep> S0-99 F100 C101-102 …}, split into payloads PostgreSQL accepts. */
    static List<String> encode(UUID sweep, List<Finished> images) {
        List<Finished> sorted = new ArrayList<>(images);
        sorted.sort(java.util.Comparator.comparingLong(Finished::ordinal));
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder(sweep.toString());
        int i = 0;
        while (i < sorted.size()) {
            Finished first = sorted.get(i);
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1).state() == first.state()
                    && sorted.get(j + 1).ordinal() == sorted.get(j).ordinal() + 1) {
                j++;
            }
            String range = " " + first.state().name().charAt(0) + first.ordinal()
                    + (j > i ? "-" + sorted.get(j).ordinal() : "");
            if (sb.length() + range.length() > MAX_PAYLOAD) {
                out.add(sb.toString());
                sb = new StringBuilder(sweep.toString());
            }
            sb.append(range);
            i = j + 1;
        }
        out.add(sb.toString());
        return out;
    }

    static List<Finished> decode(String payload) {
        String[] parts = payload.split(" ");
        UUID sweep = UUID.fromString(parts[0]);
        List<Finished> out = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            ImageState state = switch (parts[i].charAt(0)) {
                case 'S' -> ImageState.SUCCEEDED;
                case 'F' -> ImageState.FAILED;
                default -> ImageState.CANCELLED;
            };
            String[] range = parts[i].substring(1).split("-");
            long from = Long.parseLong(range[0]);
            long to = range.length > 1 ? Long.parseLong(range[1]) : from;
            for (long k = from; k <= to; k++) {
                out.add(new Finished(sweep, k, state));
            }
        }
        return out;
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                backoff = 500;
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes == null) {
                        continue;
                    }
                    for (PGNotification n : notes) {
                        dispatch(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                Log.debugf("Listening for finished images failed (%s); live views pause until the database is back",
                        e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void dispatch(String payload) {
        UUID sweep;
        try {
            sweep = UUID.fromString(payload.substring(0, payload.indexOf(' ') < 0 ? payload.length()
                    : payload.indexOf(' ')));
        } catch (RuntimeException e) {
            return;
        }
        Set<Consumer<Finished>> subs = subscribers.get(sweep);
        if (subs == null || subs.isEmpty()) {
            return;
        }
        for (Finished f : decode(payload)) {
            for (Consumer<Finished> s : subs) {
                try {
                    s.accept(f);
                } catch (RuntimeException e) {
                    Log.debugf("A subscriber of sweep %s failed: %s", sweep, e.getMessage());
                }
            }
        }
    }
}
