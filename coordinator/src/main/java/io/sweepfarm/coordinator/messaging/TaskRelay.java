package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.sweep.SweepService.ReleasableWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hibernate.Session;

/**
 * The outbox relay: releases PENDING images of RUNNING sweeps to Kafka, so that a task is never lost between the
 * database commit and the publish.
 *
 * <p>One round, per model, in one transaction: take an advisory lock on the model (one coordinator releases a
 * model at a time, so the in-flight cap holds across coordinators), count its QUEUED images, pick up to
 * {@code min(cap − queued, batch)} PENDING rows in release order (sweep priority desc, sweep age, ordinal) with
 * {@code FOR UPDATE SKIP LOCKED}, publish them, wait for the acks, then mark them QUEUED with {@code attempts + 1}.
 * If publishing fails the round rolls back and the rows stay PENDING. If the process dies after the acks but before
 * the commit, the rows are still PENDING and are published again later: a duplicate task, which workers and
 * {@link ResultConsumer} tolerate.
 *
 * <p>Each round also re-publishes stalled tasks (QUEUED for longer than {@code stall-timeout}, attempt + 1), marks
 * FAILED those that used up {@code max-attempts}, cancels stalled tasks of cancelled sweeps, and completes sweeps
 * whose images are all final (a safety net for a completion missed by concurrent result recording).
 *
 * <p>Runs every {@code sweepfarm.coordinator.relay-interval} and right after a transaction that makes work
 * releasable commits (sweep created or resumed, result recorded). Rounds never overlap within one process.
 */
@ApplicationScoped
public class TaskRelay {

    @Inject
    CoordinatorConfig config;

    @Inject
    EntityManager em;

    @Inject
    TaskPublisher publisher;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    /**
     * One thread runs the periodic rounds and the nudges. Not {@code @Scheduled}: Quarkus' simple scheduler does not
     * run jobs more often than once a second.
     */
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-relay");
        t.setDaemon(true);
        return t;
    });

    void onStart(@Observes StartupEvent event) {
        long every = config.relayInterval().toMillis();
        executor.scheduleWithFixedDelay(this::releaseAll, every, every, TimeUnit.MILLISECONDS);
        Log.infof("Task relay started: every %s, at most %d tasks in flight per model, %d per round",
                config.relayInterval(), config.inFlightPerModel(), config.relayBatchSize());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        executor.shutdownNow();
    }

    void onReleasable(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReleasableWork work) {
        if (!stopped) {
            executor.execute(this::releaseAll);
        }
    }

    /** Runs rounds until no model has both room and PENDING work; coalesces concurrent requests into one run. */
    public void releaseAll() {
        if (stopped || !running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                for (String model : activeModels()) {
                    if (stopped) {
                        return;
                    }
                    releaseModel(model);
                }
            } while (again.get());
        } catch (RuntimeException e) {
            Log.warnf(e, "Task relay round failed; PENDING images stay PENDING and are retried in %s",
                    config.relayInterval());
        } finally {
            running.set(false);
        }
    }

    private void releaseModel(String model) {
        int released;
        do {
            try {
                released = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                        .doReturningWork(c -> round(c, model)));
            } catch (RuntimeException e) {
                Log.warnf("Releasing tasks of model %s failed (%s); the images stay PENDING and are retried in %s. "
                        + "Check that Kafka is reachable.", model, rootMessage(e), config.relayInterval());
                return;
            }
        } while (released == config.relayBatchSize());
    }

    private List<String> activeModels() {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                .doReturningWork(OutboxRows::activeModels));
    }

    /**
     * One round for one model; returns how many tasks were published. Stalled tasks (QUEUED longer than
     * {@code stall-timeout}) go first: they are already counted in flight, so they need no room under the cap.
     */
    private int round(Connection c, String model) throws SQLException {
        if (!OutboxRows.tryLockModel(c, model)) {
            return 0; // another coordinator is releasing this model right now
        }
        Instant stalledBefore = Instant.now().minus(config.stallTimeout());
        int gaveUp = OutboxRows.failExhausted(c, model, stalledBefore, config.maxAttempts());
        int dropped = OutboxRows.cancelStalled(c, model, stalledBefore);
        if (gaveUp > 0) {
            Log.warnf("Model %s: %d tasks got no result after %d releases and were marked FAILED; check the workers "
                    + "of this model and the results topic", model, gaveUp, config.maxAttempts());
        }
        if (dropped > 0) {
            Log.infof("Model %s: %d stalled tasks of cancelled sweeps were cancelled", model, dropped);
        }
        for (String sweepId : OutboxRows.completeFinishedSweeps(c, model)) {
            Log.infof("Sweep %s COMPLETED: every image is final", sweepId);
        }

        List<RenderTask> tasks = new ArrayList<>();
        OutboxRows.pickStalled(c, model, stalledBefore, config.maxAttempts(), config.relayBatchSize(), tasks);
        int stalled = tasks.size();
        long queued = OutboxRows.countQueued(c, model);
        int room = (int) Math.min(config.relayBatchSize() - stalled, config.inFlightPerModel() - queued);
        if (room > 0) {
            for (UUID sweepId : OutboxRows.releasableSweeps(c, model)) {
                if (tasks.size() - stalled >= room) {
                    break;
                }
                OutboxRows.pickPending(c, model, sweepId, room - (tasks.size() - stalled), tasks);
            }
        }
        if (tasks.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        List<TaskPublisher.Refusal> refused;
        try {
            refused = publisher.publishAll(tasks);
        } catch (TaskPublisher.PublishException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!refused.isEmpty()) {
            OutboxRows.markRefused(c, refused);
            for (TaskPublisher.Refusal r : refused) {
                Log.warnf("Image %s of sweep %s FAILED: %s; the other tasks of the round were released",
                        r.task().imageId(), r.task().sweepId(), r.reason());
            }
            List<RenderTask> refusedTasks = refused.stream().map(TaskPublisher.Refusal::task).toList();
            tasks.removeAll(refusedTasks);
        }
        OutboxRows.markQueued(c, tasks);
        if (stalled > 0) {
            Log.warnf("Model %s: released %d stalled tasks again (no result within %s)", model, stalled,
                    config.stallTimeout());
        }
        Log.debugf("Released %d tasks of model %s (%d were in flight) in %d ms", tasks.size(), model, queued,
                (System.nanoTime() - started) / 1_000_000);
        return tasks.size();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
