package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.Daemons;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.sweep.SweepCounters;
import io.sweepfarm.coordinator.sweep.SweepService.ReleasableWork;
import io.sweepfarm.coordinator.task.TaskOutbox;
import io.sweepfarm.coordinator.task.TaskRows;
import io.sweepfarm.coordinator.task.TaskRows.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;

/**
 * The outbox relay: publishes render tasks from the {@code task} table, so that no task is lost between the database
 * and Kafka. Per model, a round ({@link ReleaseRound}) commits the next tasks (re-releases first, then handed-back
 * tasks and fresh ordinals of the RUNNING sweeps by priority, up to the in-flight cap) with the round's outbox row,
 * then publishes them and waits for the acks, then deletes that row. A task Kafka refuses for good (too large,
 * invalid) fails alone; the rest of its round goes out. If Kafka is unreachable the round is put back for the next
 * try, with a growing pause for that model only.
 *
 * <p>Models are released independently, on a small pool: a model whose topic cannot be written (a broker refusing
 * it, a timeout) never delays another's release. Runs every {@code relay-interval} and right after a change that
 * makes work releasable (sweep created or resumed, results recorded, tasks handed back or stalled).
 */
@ApplicationScoped
public class TaskRelay {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject
    CoordinatorConfig config;

    @Inject
    EntityManager em;

    @Inject
    TaskPublisher publisher;

    @Inject
    SweepPlans plans;

    @Inject
    TopicAdmin topics;

    @Inject
    io.sweepfarm.coordinator.metrics.CoordinatorMetrics metrics;

    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    /** Schedules ticks; not {@code @Scheduled}: Quarkus' simple scheduler runs jobs at most once a second. */
    private final ScheduledExecutorService ticker = Daemons.scheduler("task-relay");
    private ExecutorService rounds;

    /** A model whose release failed: when to try again, and since when it fails. */
    private record Failing(Instant retryAt, Duration backoff, Instant since) {
    }

    void onStart(@Observes StartupEvent event) {
        rounds = Daemons.pool("task-relay-round", config.relayThreads());
        long every = config.relayInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        Log.infof("Task relay started: every %s, at most %d tasks in flight per model, %d per round",
                config.relayInterval(), config.inFlightPerModel(), config.relayBatchSize());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        ticker.shutdownNow();
        if (rounds != null) {
            rounds.shutdownNow();
        }
    }

    void onReleasable(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReleasableWork work) {
        nudge();
    }

    /** Asks for a tick soon; coalesces. */
    public void nudge() {
        if (!stopped) {
            ticker.execute(this::tick);
        }
    }

    /** Starts a release of every model with work that has none under way and is not backing off. */
    void tick() {
        if (stopped) {
            return;
        }
        List<String> models;
        try {
            models = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                    .doReturningWork(ReleaseRound::activeModels));
        } catch (RuntimeException e) {
            Log.debugf("Task relay could not list models: %s", e.getMessage());
            return; // the database is down; result recording and health report it
        }
        Instant now = Instant.now();
        for (String model : models) {
            Failing f = failing.get(model);
            if ((f == null || !now.isBefore(f.retryAt())) && inProgress.add(model)) {
                try {
                    rounds.execute(() -> {
                        try {
                            releaseModel(model);
                        } finally {
                            inProgress.remove(model);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    inProgress.remove(model);
                }
            }
        }
    }

    /**
     * Rounds for one model until a round releases less than a full batch. Rounds are pipelined: the next round is
     * claimed and handed to the producer while the broker acknowledges the previous one, whose outbox row is then
     * deleted (at most two rounds are out at once; the in-flight cap counts both).
     */
    void releaseModel(String model) {
        Round out = null;
        Round next = null;
        try {
            while (!stopped) {
                next = claimAndSend(model);
                if (out != null) {
                    settle(model, out);
                }
                out = next;
                next = null;
                if (out == null || out.claimed().size() < config.relayBatchSize()) {
                    break;
                }
            }
            if (out != null) {
                settle(model, out);
                out = null;
            }
            recovered(model);
        } catch (RuntimeException e) {
            for (Round r : new Round[] {out, next}) {
                if (r != null) {
                    putBack(r.round());
                }
            }
            backOff(model, e);
        }
    }

    /** A round's claimed tasks, handed to the producer. */
    private record Round(long round, List<TaskRef> claimed, Map<java.util.UUID, TaskRef> refs,
            TaskPublisher.Sent sent, long startedNanos) {
    }

    /** Claims the model's next tasks (one transaction) and hands them to the producer; null when there are none. */
    private Round claimAndSend(String model) {
        topics.ensureTaskTopic(model);
        Instant staleBefore = Instant.now().minus(config.publishTimeout().multipliedBy(2));
        ReleaseRound.Claim claim = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                .doReturningWork(c -> ReleaseRound.claim(c, model, config.relayBatchSize(),
                        config.inFlightPerModel(), staleBefore)));
        List<TaskRef> claimed = claim.tasks();
        if (claimed.isEmpty()) {
            metrics.relayRound(model, 0);
            return null;
        }
        long started = System.nanoTime();
        try {
            List<RenderTask> tasks = new ArrayList<>(claimed.size());
            Map<java.util.UUID, TaskRef> refs = new HashMap<>();
            for (TaskRef ref : claimed) {
                RenderTask task = plans.get(ref.sweepId()).task(ref.ordinal(), ref.attempt());
                tasks.add(task);
                refs.put(task.imageId(), ref);
            }
            return new Round(claim.round(), claimed, refs, publisher.send(tasks), started);
        } catch (RuntimeException e) {
            putBack(claim.round());
            throw e;
        }
    }

    /**
     * Waits for a round's acknowledgements, then fails the tasks Kafka refused for good (alone) and closes the round,
     * in one transaction. Throws when Kafka did not take the round (the caller puts it back).
     */
    private void settle(String model, Round round) {
        List<TaskPublisher.Refusal> refused;
        try {
            refused = publisher.await(round.sent());
        } catch (TaskPublisher.PublishException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<TaskRows.Finish> failures = new ArrayList<>();
        for (TaskPublisher.Refusal r : refused) {
            TaskRef ref = round.refs().get(r.task().imageId());
            failures.add(TaskRows.Finish.failed(ref, r.reason()));
            Log.warnf("Image %s (sweep %s, ordinal %d) FAILED: %s; the rest of the round was released",
                    r.task().imageId(), ref.sweepId(), ref.ordinal(), r.reason());
        }
        QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class).doWork(c -> {
            if (!failures.isEmpty()) {
                SweepCounters.Deltas deltas = new SweepCounters.Deltas();
                SweepCounters.lock(c, failures.stream().map(TaskRows.Finish::sweepId).distinct().toList());
                TaskRows.finish(c, failures, deltas);
                SweepCounters.apply(c, deltas);
            }
            TaskOutbox.acknowledged(c, round.round());
        }));
        metrics.relayRound(model, round.claimed().size() - failures.size());
        Log.debugf("Released %d tasks of model %s in %d ms", (Object) round.claimed().size(), model,
                (System.nanoTime() - round.startedNanos()) / 1_000_000);
    }

    /** Kafka did not take the round: the model's next round takes it over (that try is backed off). */
    private void putBack(long round) {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class)
                    .doWork(c -> TaskOutbox.retrySoon(c, round)));
        } catch (RuntimeException e) {
            Log.debugf("Could not put back an unacknowledged round (%s); it is claimed again after %s",
                    e.getMessage(), config.publishTimeout().multipliedBy(2));
        }
    }

    private void backOff(String model, RuntimeException e) {
        Instant now = Instant.now();
        Failing before = failing.get(model);
        Duration backoff = before == null ? config.relayInterval().multipliedBy(4)
                : min(before.backoff().multipliedBy(2), MAX_BACKOFF);
        failing.put(model, new Failing(now.plus(backoff), backoff, before == null ? now : before.since()));
        if (before == null) {
            Log.warnf("Releasing tasks of model %s failed: %s. Its tasks wait (nothing is lost) and are retried "
                    + "with a growing pause (at most %s); other models are not affected. Check Kafka (and the "
                    + "database if the message names it).", model, rootMessage(e), MAX_BACKOFF);
        } else {
            Log.debugf("Releasing tasks of model %s failed again: %s", model, rootMessage(e));
        }
    }

    private void recovered(String model) {
        Failing f = failing.remove(model);
        if (f != null) {
            Log.infof("Releasing tasks of model %s works again after %d s", model,
                    Duration.between(f.since(), Instant.now()).toSeconds());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }


    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
