package io.sweepfarm.worker.lane;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Which of the worker's dependencies is failing right now, shared by its lanes. An outage is logged once when it
 * starts (WARN, naming the dependency, the reason and what to check) and once when it ends (INFO, with its length and
 * the attempts that failed meanwhile), never once per retry. The health checks read it. Thread-safe.
 */
@ApplicationScoped
public class Outages {

    private static final Logger LOG = Logger.getLogger(Outages.class);

    /** A dependency of the worker. */
    public enum Dependency {
        S3("S3", "sweepfarm.s3.endpoint, its credentials and the bucket"),
        KAFKA("Kafka", "kafka.bootstrap.servers and the brokers");

        private final String label;
        private final String check;

        Dependency(String label, String check) {
            this.label = label;
            this.check = check;
        }

        public String label() {
            return label;
        }
    }

    /** An ongoing outage. */
    public record Outage(Instant since, String reason, long failures) {
    }

    private final Map<Dependency, Outage> down = new EnumMap<>(Dependency.class);
    private final Map<Dependency, Long> recoveredAt = new EnumMap<>(Dependency.class);
    private final Map<Dependency, AtomicLong> successes = new EnumMap<>(Dependency.class);

    public Outages() {
        for (Dependency d : Dependency.values()) {
            successes.put(d, new AtomicLong());
        }
    }

    /** Notes a failure of {@code d} that looks like an outage; logs it if {@code d} was up. */
    public void failed(Dependency d, String reason, String whileDoing) {
        failed(d, reason, whileDoing, System.nanoTime());
    }

    /**
     * Notes a failure of an attempt started at {@code attemptStartedNanos} ({@link System#nanoTime()}). An attempt
     * started before the end of the last outage (a request sent while it lasted, answered after) is part of that
     * outage: it does not start a new one.
     */
    public void failed(Dependency d, String reason, String whileDoing, long attemptStartedNanos) {
        Outage started;
        synchronized (down) {
            Outage o = down.get(d);
            Long recovered = recoveredAt.get(d);
            if (o == null && recovered != null && attemptStartedNanos - recovered < 0) {
                return;
            }
            if (o != null) {
                down.put(d, new Outage(o.since(), o.reason(), o.failures() + 1));
                return;
            }
            started = new Outage(Instant.now(), reason, 1);
            down.put(d, started);
        }
        LOG.warnf("%s is unavailable: %s (while %s). Work is kept and retried with growing pauses until it is back; "
                + "nothing is dropped. Check %s", d.label, LogText.safe(reason), whileDoing, d.check);
    }

    /** Notes a success of {@code d}; logs the end of its outage if there was one. */
    public void succeeded(Dependency d) {
        successes.get(d).incrementAndGet();
        Outage ended;
        synchronized (down) {
            ended = down.remove(d);
            if (ended != null) {
                recoveredAt.put(d, System.nanoTime());
            }
        }
        if (ended != null) {
            LOG.infof("%s is available again after %d s (%d failed attempt(s) meanwhile)", d.label,
                    Duration.between(ended.since(), Instant.now()).toSeconds(), ended.failures());
        }
    }

    /** Successes of {@code d} so far: a failure of one request while this grows is not an outage. */
    public long successes(Dependency d) {
        return successes.get(d).get();
    }

    /** The ongoing outages. */
    public Map<Dependency, Outage> current() {
        synchronized (down) {
            return Map.copyOf(down);
        }
    }
}
