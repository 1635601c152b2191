package io.sweepfarm.coordinator.sweep;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepPreview;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.events.SweepPace;
import io.sweepfarm.coordinator.fleet.Fleet;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import io.sweepfarm.coordinator.task.TaskRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.MDC;

/**
 * Creates sweeps, reports them, and applies the user's control transitions. A sweep is stored as its spec: creating
 * one writes one row whatever its image count (O(axes) time and bytes), and its counters answer every progress
 * question without looking at images.
 */
@ApplicationScoped
public class SweepService {

    /** How many images a dry run shows. */
    static final int PREVIEW = 20;

    /** Fired after a transaction that made images releasable commits; the relay listens and runs a round. */
    public record ReleasableWork(UUID sweepId) {
    }

    /** The outcome of a submission: a stored sweep (possibly an idempotent replay), or a dry run's preview. */
    public sealed interface Created {
    }

    public record Stored(CreateSweepResponse response, boolean replayed) implements Created {
    }

    public record Previewed(SweepPreview preview) implements Created {
    }

    @Inject
    CoordinatorConfig config;

    @Inject
    EntityManager em;

    @Inject
    Event<ReleasableWork> releasable;

    @Inject
    ImageStore inputs;

    @Inject
    Event<SweepControl> controls;

    @Inject
    SweepPlans plans;

    @Inject
    SweepPace pace;

    @Inject
    Fleet fleet;

    /**
     * Validates, then stores the sweep as one row (or answers a dry run without storing anything). With an
     * idempotency key, a repeated submission of the same sweep returns the first one; the same key with a different
     * sweep is refused.
     */
    @Transactional
    public Created create(CreateSweepRequest request, String idempotencyKey) {
        SweepSpec spec = new SweepValidator(config.maxImagesPerSweep()).validate(request);
        requireUploaded(spec);
        requireServed(spec, request);
        SweepPlan plan = SweepPlan.of(spec);
        if (Boolean.TRUE.equals(request.dryRun())) {
            List<ImageParameters> first = new ArrayList<>();
            for (long k = 0; k < Math.min(PREVIEW, plan.count()); k++) {
                first.add(plan.at(k));
            }
            return new Previewed(new SweepPreview(plan.count(), first));
        }
        String json = Json.toString(spec);
        String hash = Hashes.sha256(json);
        if (idempotencyKey != null) {
            Optional<Stored> replay = replay(idempotencyKey, hash);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        Sweep sweep = new Sweep();
        sweep.id = Uuids.v7();
        sweep.name = spec.name();
        sweep.model = spec.model();
        sweep.state = SweepState.RUNNING;
        sweep.priority = spec.priority();
        sweep.spec = json;
        sweep.imageCount = plan.count();
        long[] seedBounds = plan.seedBounds();
        sweep.seedLo = seedBounds[0];
        sweep.seedHi = seedBounds[1];
        sweep.idempotencyKey = idempotencyKey;
        sweep.requestHash = hash;
        sweep.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sweep.updatedAt = sweep.createdAt;
        sweep.persistAndFlush();
        plans.put(sweep.id, sweep.seq, spec);
        MDC.put("sweep_id", sweep.id.toString());
        try {
            Log.infof("Sweep %s created for model %s: %d images", sweep.id, sweep.model, sweep.imageCount);
        } finally {
            MDC.remove("sweep_id");
        }
        releasable.fire(new ReleasableWork(sweep.id));
        return new Stored(new CreateSweepResponse(sweep.id, sweep.imageCount, sweep.state), false);
    }

    /** The sweep first stored under {@code key}, if any; 422 when it was a different sweep. */
    @Transactional
    public Optional<Stored> replay(String key, String hash) {
        Sweep existing = Sweep.find("idempotencyKey", key).firstResult();
        if (existing == null) {
            return Optional.empty();
        }
        if (!existing.requestHash.equals(hash)) {
            throw new ProblemException.Invalid("Idempotency-Key", "was already used for another sweep ("
                    + existing.id + "); use a new key for a different request");
        }
        return Optional.of(new Stored(new CreateSweepResponse(existing.id, existing.imageCount, existing.state), true));
    }

    /** The hash under which a request is remembered for its idempotency key. */
    public String requestHash(CreateSweepRequest request) {
        return Hashes.sha256(Json.toString(new SweepValidator(config.maxImagesPerSweep()).validate(request)));
    }

    /**
     * A sweep for a model no live lane serves would wait silently, and one naming a LoRA, ControlNet or refiner that
     * a live lane of its model lacks would fail there image by image: both are refused unless the sweep asks to wait.
     */
    private void requireServed(SweepSpec spec, CreateSweepRequest request) {
        if (!config.requireServedModel() || Boolean.TRUE.equals(request.waitForModel())) {
            return;
        }
        java.util.Set<String> served = fleet.servedModels();
        if (!served.contains(spec.model())) {
            throw new ProblemException.Invalid("model", "no live worker serves model '" + spec.model() + "'"
                    + (served.isEmpty() ? " (no worker is live)" : "; served now: " + String.join(", ", served))
                    + ". Start a worker for it, or submit with \"wait_for_model\": true to queue the sweep until one"
                    + " comes");
        }
        List<FieldError> unmet = AddonRequirements.unmet(spec, fleet.liveLanes(spec.model()));
        if (!unmet.isEmpty()) {
            List<FieldError> hinted = new ArrayList<>(unmet);
            FieldError first = hinted.get(0);
            hinted.set(0, new FieldError(first.field(), first.message() + ". Start a worker that has it, or submit "
                    + "with \"wait_for_model\": true to queue the sweep until one comes"));
            throw new ProblemException.Invalid(hinted);
        }
    }

    /**
     * Init images, masks, depth maps and control images must have been uploaded: a task naming a missing input could
     * only fail.
     */
    private void requireUploaded(SweepSpec spec) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (int i = 0; i < spec.initImages().size(); i++) {
            keys.put("init_images[" + i + "]", spec.initImages().get(i));
        }
        if (spec.mask() != null) {
            keys.put("mask", spec.mask());
        }
        for (int i = 0; i < spec.depthMaps().size(); i++) {
            keys.put("depth_maps[" + i + "]", spec.depthMaps().get(i));
        }
        for (int i = 0; i < spec.controlnets().size(); i++) {
            keys.put("controlnets[" + i + "].image", spec.controlnets().get(i).image());
        }
        List<FieldError> missing = new ArrayList<>();
        keys.forEach((field, key) -> {
            if (!inputs.exists(key)) {
                missing.add(new FieldError(field,
                        "no uploaded image has the key " + key + "; upload it with POST /api/v1/inputs"));
            }
        });
        if (!missing.isEmpty()) {
            throw new ProblemException.Invalid(missing);
        }
    }

    /**
     * Inside the caller's transaction if it has one, else a plain read: one round trip to the database in
     * auto-commit, rather than begin, select and commit (a status poll is the most frequent call). Callable from
     * any thread (the event streams' ticks have no request of their own).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    @jakarta.enterprise.context.control.ActivateRequestContext
    public SweepView view(UUID id) {
        return toView(find(id));
    }

    /** Newest first, optionally only those in {@code state} or of {@code model}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SweepView> list(int limit, SweepState state, String model) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (state != null) {
            where.append(" and state = :state");
            params.put("state", state);
        }
        if (model != null) {
            where.append(" and model = :model");
            params.put("model", model);
        }
        return Sweep.<Sweep>find(where + " order by createdAt desc, id desc", params).page(0, limit).list().stream()
                .map(this::toView).toList();
    }

    @Transactional
    public SweepView pause(UUID id) {
        SweepView view = transition(id, SweepState.PAUSED);
        controls.fire(new SweepControl(id, SweepState.PAUSED, view.updatedAt()));
        return view;
    }

    @Transactional
    public SweepView resume(UUID id) {
        SweepView view = transition(id, SweepState.RUNNING);
        releasable.fire(new ReleasableWork(id));
        controls.fire(new SweepControl(id, SweepState.RUNNING, view.updatedAt()));
        return view;
    }

    /**
     * Cancels the sweep: nothing more is released, its unreleased images count as CANCELLED at once (by arithmetic,
     * without a row each), handed-back ones are cancelled, and workers are told (control topic) to skip the released
     * ones; any that finish before they hear of it are recorded.
     */
    @Transactional
    public SweepView cancel(UUID id) {
        Sweep sweep = lock(id);
        sweep.moveTo(SweepState.CANCELLED);
        flush();
        long unreleased = sweep.imageCount - sweep.releaseCursor;
        long handedBack = em.unwrap(Session.class).doReturningWork(c -> {
            SweepCounters.Deltas deltas = new SweepCounters.Deltas();
            List<TaskRows.Finish> cancels = TaskRows.lockHandedBack(c, id).stream()
                    .map(TaskRows.Finish::cancelled).toList();
            int n = TaskRows.finish(c, cancels, deltas).size();
            deltas.add(id, new SweepCounters.Delta(0, 0, 0, unreleased));
            SweepCounters.apply(c, deltas);
            return (long) n;
        });
        controls.fire(new SweepControl(id, SweepState.CANCELLED, sweep.updatedAt));
        Log.infof("Sweep %s cancelled: %d unreleased and %d handed-back images cancelled; workers skip the released "
                + "ones", id, unreleased, handedBack);
        return toView(refreshed(sweep));
    }

    /**
     * Retries the sweep's failed images: they become handed-back tasks (PENDING) that the relay releases again, the
     * failed counter shrinks, and a COMPLETED sweep runs again. A paused sweep keeps them until it is resumed; a
     * cancelled one cannot retry (409).
     */
    @Transactional
    public SweepView retryFailed(UUID id) {
        Sweep sweep = lock(id);
        if (sweep.state == SweepState.CANCELLED) {
            throw new ProblemException.Conflict("sweep " + id + " is CANCELLED; its failed images cannot be retried");
        }
        if (sweep.failed == 0) {
            return toView(sweep);
        }
        if (sweep.state == SweepState.COMPLETED) {
            sweep.moveTo(SweepState.RUNNING);
            flush();
        }
        long retried = em.unwrap(Session.class).doReturningWork(c -> {
            SweepCounters.Deltas deltas = new SweepCounters.Deltas();
            int n = TaskRows.retryFailed(c, id, deltas);
            SweepCounters.apply(c, deltas);
            return (long) n;
        });
        Log.infof("Sweep %s: %d failed images retried", id, retried);
        if (sweep.state == SweepState.RUNNING) {
            releasable.fire(new ReleasableWork(id));
            controls.fire(new SweepControl(id, SweepState.RUNNING, sweep.updatedAt));
        }
        return toView(refreshed(sweep));
    }

    @Transactional
    public SweepView reprioritise(UUID id, int priority) {
        Sweep sweep = lock(id);
        if (sweep.state.isTerminal()) {
            throw new ProblemException.Conflict("sweep " + id + " is " + sweep.state
                    + "; the priority of a finished sweep cannot change");
        }
        sweep.priority = priority;
        sweep.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        flush();
        Log.infof("Sweep %s priority set to %d", id, priority);
        releasable.fire(new ReleasableWork(id));
        return toView(sweep);
    }

    private SweepView transition(UUID id, SweepState target) {
        Sweep sweep = lock(id);
        SweepState from = sweep.state;
        sweep.moveTo(target);
        flush();
        Log.infof("Sweep %s %s -> %s", id, from, target);
        return toView(sweep);
    }

    private void flush() {
        em.flush();
    }

    private Sweep refreshed(Sweep sweep) {
        em.refresh(sweep);
        return sweep;
    }

    private Sweep find(UUID id) {
        Sweep sweep = Sweep.findById(id);
        if (sweep == null) {
            throw new ProblemException.NotFound("no sweep with id " + id);
        }
        return sweep;
    }

    /** The sweep row locked for update (counters fresh), so a user's change and the relay's never interleave. */
    private Sweep lock(UUID id) {
        Sweep sweep = em.find(Sweep.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (sweep == null) {
            throw new ProblemException.NotFound("no sweep with id " + id);
        }
        em.refresh(sweep, LockModeType.PESSIMISTIC_WRITE);
        return sweep;
    }

    SweepView toView(Sweep s) {
        Map<ImageState, Long> counts = new EnumMap<>(ImageState.class);
        counts.put(ImageState.PENDING, s.pending());
        counts.put(ImageState.QUEUED, s.queued);
        counts.put(ImageState.SUCCEEDED, s.succeeded);
        counts.put(ImageState.FAILED, s.failed);
        counts.put(ImageState.CANCELLED, s.cancelled);
        long remaining = s.state.isTerminal() ? 0 : s.pending() + s.queued;
        double rate = pace.imagesPerSecond(s.id);
        String waiting = s.state == SweepState.RUNNING && remaining > 0 && !fleet.servedModels().contains(s.model)
                ? "waiting for a worker for model " + s.model : null;
        return new SweepView(s.id, s.name, s.model, s.state, s.priority, s.imageCount, counts, s.releaseCursor,
                rate, s.state.isTerminal() ? null : pace.etaSeconds(s.id, remaining), waiting, s.createdAt,
                s.updatedAt);
    }
}
