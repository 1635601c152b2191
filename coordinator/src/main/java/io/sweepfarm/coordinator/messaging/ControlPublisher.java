package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.Daemons;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.state.StateMachine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Tells workers about pauses, resumes and cancellations: after the transaction that changed a sweep's state
 * commits, its {@link SweepControl} goes to the compacted {@link Topics#CONTROL} topic, keyed by sweep id. Workers
 * then skip the sweep's tasks already in Kafka (handing them back, or cancelling them), so a pause or a cancel takes
 * effect within seconds rather than after the released backlog. The database stays the truth: if this publish fails
 * the released tasks simply render as before, and the failure is logged. The state of paused and cancelled sweeps
 * that still have released tasks is announced again every {@code control-reannounce-interval}, so an announcement
 * lost to a Kafka hiccup is repaired.
 */
@ApplicationScoped
public class ControlPublisher {

    @Inject
    EntityManager em;

    @Inject
    CoordinatorConfig config;

    @Inject
    TaskPublisher tasks;

    private volatile boolean stopping;

    private final ScheduledExecutorService reannouncer = Daemons.scheduler("control-reannounce");

    void onStart(@Observes StartupEvent event) {
        long every = config.controlReannounceInterval().toMillis();
        reannouncer.scheduleWithFixedDelay(this::reannounce, every, every, TimeUnit.MILLISECONDS);
        // The control topic itself is created, compacted, by TopicAdmin at start.
    }

    void onControl(@Observes(during = TransactionPhase.AFTER_SUCCESS) SweepControl control) {
        String key = control.sweepId().toString();
        tasks.producer().send(new ProducerRecord<>(Topics.CONTROL, key, Json.toBytes(control)),
                (meta, e) -> {
                    if (e != null) {
                        Log.warnf("Could not tell workers that sweep %s is %s (%s); tasks already released will "
                                + "render as if it were running", control.sweepId(), control.state(), e.getMessage());
                    }
                });
    }

    /** Publishes again the state of every paused or cancelled sweep that still has images in flight. */
    void reannounce() {
        try {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    select s.id, s.state, s.updated_at from sweep s where s.state in %s and s.queued > 0"""
                    .formatted(StateMachine.sqlList(java.util.EnumSet.of(SweepState.PAUSED, SweepState.CANCELLED))))
                    .getResultList());
            for (Object[] row : rows) {
                UUID id = row[0] instanceof UUID u ? u : UUID.fromString(row[0].toString());
                // Stamped with the sweep's last change, not now: a re-announcement that races a resume is older
                // than the resume's own announcement, and workers keep the newest.
                onControl(new SweepControl(id, SweepState.valueOf(row[1].toString()), toInstant(row[2])));
            }
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            Log.warnf("Re-announcing paused and cancelled sweeps failed (%s); retrying in %s", e.getMessage(),
                    config.controlReannounceInterval());
        }
    }

    private static Instant toInstant(Object timestamp) {
        if (timestamp instanceof Instant i) {
            return i;
        }
        if (timestamp instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) timestamp).toInstant();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        reannouncer.shutdownNow();
    }
}
