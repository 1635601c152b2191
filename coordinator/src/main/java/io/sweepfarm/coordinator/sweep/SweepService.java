package io.sweepfarm.coordinator.sweep;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.storage.ImageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.MDC;

/** Creates sweeps with their image rows, reports them, and applies the user's control transitions. */
@ApplicationScoped
public class SweepService {

    /** Fired after a transaction that made images releasable commits; the relay listens and runs a round. */
    public record ReleasableWork(UUID sweepId) {
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

    /** Validates, then stores the sweep and all its PENDING images in one transaction; nothing on any error. */
    /** Init images and masks must have been uploaded: a task naming a missing input could only fail. */
    private void requireUploaded(SweepSpec spec) {
        List<FieldError> missing = new ArrayList<>();
        for (int i = 0; i < spec.initImages().size(); i++) {
            String key = spec.initImages().get(i);
            if (key != null && !inputs.exists(key)) {
                missing.add(new FieldError("init_images[" + i + "]",
                        "no uploaded image has the key " + key + "; upload it with POST /api/v1/inputs"));
            }
        }
        if (spec.mask() != null && !inputs.exists(spec.mask())) {
            missing.add(new FieldError("mask",
                    "no uploaded image has the key " + spec.mask() + "; upload it with POST /api/v1/inputs"));
        }
        if (!missing.isEmpty()) {
            throw new ProblemException.Invalid(missing);
        }
    }

    @Transactional
    @TransactionConfiguration(timeout = 900, timeoutFromConfigProperty = "sweepfarm.coordinator.create-timeout-seconds")
    public CreateSweepResponse create(CreateSweepRequest request) {
        SweepSpec spec = new SweepValidator(config.maxImagesPerSweep()).validate(request);
        requireUploaded(spec);
        SweepExpander expander = new SweepExpander(spec);
        long started = System.nanoTime();
        Sweep sweep = new Sweep();
        sweep.id = Uuids.v7();
        sweep.name = spec.name();
        sweep.model = spec.model();
        sweep.state = SweepState.RUNNING;
        sweep.priority = spec.priority();
        sweep.spec = Json.toString(spec);
        sweep.imageCount = expander.count();
        sweep.createdAt = Instant.now();
        sweep.updatedAt = sweep.createdAt;
        sweep.persistAndFlush();
        em.unwrap(Session.class).doWork(c -> ImageRows.copy(c, sweep.id, expander));
        MDC.put("sweep_id", sweep.id.toString());
        try {
            Log.infof("Sweep %s '%s' created for model %s: %d images stored PENDING in %d ms", sweep.id, sweep.name,
                    sweep.model, sweep.imageCount, (System.nanoTime() - started) / 1_000_000);
        } finally {
            MDC.remove("sweep_id");
        }
        releasable.fire(new ReleasableWork(sweep.id));
        return new CreateSweepResponse(sweep.id, sweep.imageCount, sweep.state);
    }

    @Transactional
    public SweepView view(UUID id) {
        Sweep sweep = find(id);
        return toView(sweep, counts(List.of(id)).get(id));
    }

    /** Newest first. */
    @Transactional
    public List<SweepView> list(int limit) {
        List<Sweep> sweeps = Sweep.<Sweep>find("order by createdAt desc, id desc").page(0, limit).list();
        Map<UUID, Map<ImageState, Long>> counts = counts(sweeps.stream().map(s -> s.id).toList());
        return sweeps.stream().map(s -> toView(s, counts.get(s.id))).toList();
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
     * Cancels the sweep and its PENDING images; workers are told (control topic) to skip its QUEUED ones, and any
     * that finish before they hear of it are recorded.
     */
    @Transactional
    public SweepView cancel(UUID id) {
        Sweep sweep = find(id);
        sweep.moveTo(SweepState.CANCELLED);
        int cancelled = em.createNativeQuery("""
                update image set state = 'CANCELLED', completed_at = now()
                where sweep_id = :id and state = 'PENDING'""").setParameter("id", id).executeUpdate();
        flush(id);
        controls.fire(new SweepControl(id, SweepState.CANCELLED, sweep.updatedAt));
        Log.infof("Sweep %s cancelled: %d pending images cancelled; workers skip the released ones", id, cancelled);
        return toView(sweep, counts(List.of(id)).get(id));
    }

    @Transactional
    public SweepView reprioritise(UUID id, int priority) {
        Sweep sweep = find(id);
        if (sweep.state.isTerminal()) {
            throw new ProblemException.Conflict("sweep " + id + " is " + sweep.state
                    + "; the priority of a finished sweep cannot change");
        }
        sweep.priority = priority;
        sweep.updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        flush(id);
        Log.infof("Sweep %s priority set to %d", id, priority);
        return toView(sweep, counts(List.of(id)).get(id));
    }

    private SweepView transition(UUID id, SweepState target) {
        Sweep sweep = find(id);
        SweepState from = sweep.state;
        sweep.moveTo(target);
        flush(id);
        Log.infof("Sweep %s %s -> %s", id, from, target);
        return toView(sweep, counts(List.of(id)).get(id));
    }

    private void flush(UUID id) {
        try {
            em.flush();
        } catch (OptimisticLockException e) {
            throw new ProblemException.Conflict("sweep " + id + " was changed concurrently; read it and retry");
        }
    }

    private Sweep find(UUID id) {
        Sweep sweep = Sweep.findById(id);
        if (sweep == null) {
            throw new ProblemException.NotFound("no sweep with id " + id);
        }
        return sweep;
    }

    /** Image counts by state of each sweep, every state present, from one GROUP BY over (sweep_id, state). */
    Map<UUID, Map<ImageState, Long>> counts(List<UUID> sweepIds) {
        Map<UUID, Map<ImageState, Long>> result = new HashMap<>();
        for (UUID id : sweepIds) {
            Map<ImageState, Long> zeros = new EnumMap<>(ImageState.class);
            for (ImageState s : ImageState.values()) {
                zeros.put(s, 0L);
            }
            result.put(id, zeros);
        }
        if (sweepIds.isEmpty()) {
            return result;
        }
        List<Object[]> rows = em.createQuery("""
                select i.sweepId, i.state, count(i) from Image i where i.sweepId in :ids
                group by i.sweepId, i.state""", Object[].class).setParameter("ids", sweepIds).getResultList();
        for (Object[] row : rows) {
            result.get((UUID) row[0]).put((ImageState) row[1], ((Number) row[2]).longValue());
        }
        return result;
    }

    private static SweepView toView(Sweep s, Map<ImageState, Long> counts) {
        return new SweepView(s.id, s.name, s.model, s.state, s.priority, s.imageCount, counts, s.createdAt,
                s.updatedAt);
    }
}
