package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.state.Lifecycles;
import io.sweepfarm.coordinator.sweep.SweepService.ReleasableWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * <p>Runs every {@code sweepfarm.coordinator.relay-interval} and right after a transaction that makes work
 * releasable commits (sweep created or resumed, result recorded). Rounds never overlap within one process.
 */
@ApplicationScoped
public class TaskRelay {

    private static final String[] QUEUED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.QUEUED);

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
                for (String model : runningModels()) {
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

    @SuppressWarnings("unchecked")
    private List<String> runningModels() {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select distinct model from sweep where state = 'RUNNING'").getResultList());
    }

    /** One round for one model; returns how many tasks were released. */
    private int round(Connection c, String model) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "sweepfarm.relay." + model);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0; // another coordinator is releasing this model right now
                }
            }
        }
        long queued;
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*) from image where state = 'QUEUED'
                and sweep_id in (select id from sweep where model = ?)""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                queued = rs.getLong(1);
            }
        }
        int room = (int) Math.min(config.relayBatchSize(), config.inFlightPerModel() - queued);
        if (room <= 0) {
            return 0;
        }
        List<UUID> sweeps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id from sweep where model = ? and state = 'RUNNING'
                order by priority desc, created_at, id""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sweeps.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<RenderTask> tasks = new ArrayList<>(room);
        for (UUID sweepId : sweeps) {
            if (tasks.size() >= room) {
                break;
            }
            pick(c, model, sweepId, room - tasks.size(), tasks);
        }
        if (tasks.isEmpty()) {
            return 0;
        }
        long started = System.nanoTime();
        try {
            publisher.publishAll(tasks);
        } catch (TaskPublisher.PublishException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update image set state = 'QUEUED', attempts = attempts + 1, released_at = now()
                where id = any(?) and state = any(?)""")) {
            Array ids = c.createArrayOf("uuid", tasks.stream().map(RenderTask::imageId).toArray());
            ps.setArray(1, ids);
            ps.setArray(2, c.createArrayOf("text", QUEUED_FROM));
            ps.executeUpdate();
        }
        Log.debugf("Released %d tasks of model %s (%d were in flight) in %d ms", tasks.size(), model, queued,
                (System.nanoTime() - started) / 1_000_000);
        return tasks.size();
    }

    private static void pick(Connection c, String model, UUID sweepId, int limit, List<RenderTask> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id, ordinal, attempts, prompt, negative_prompt, cfg_scale, steps, sampler, seed, width, height,
                       noise_source, prompt_overflow, init_image, strength, mask
                from image where sweep_id = ? and state = 'PENDING'
                order by ordinal limit ? for update skip locked""")) {
            ps.setObject(1, sweepId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID imageId = rs.getObject("id", UUID.class);
                    long ordinal = rs.getLong("ordinal");
                    double strength = rs.getDouble("strength");
                    Double strengthOrNull = rs.wasNull() ? null : strength;
                    into.add(new RenderTask(imageId, sweepId, ordinal, rs.getInt("attempts") + 1, model,
                            rs.getString("prompt"), rs.getString("negative_prompt"), rs.getDouble("cfg_scale"),
                            rs.getInt("steps"), rs.getString("sampler"), rs.getLong("seed"), rs.getInt("width"),
                            rs.getInt("height"), rs.getString("noise_source"), rs.getString("prompt_overflow"),
                            rs.getString("init_image"), strengthOrNull, rs.getString("mask"),
                            ObjectKeys.image(sweepId, ordinal, imageId)));
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
