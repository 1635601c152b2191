package io.sweepfarm.coordinator.events;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.sweepfarm.common.api.FinishedImage;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.coordinator.Daemons;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server-sent events of one sweep: {@code progress} (the {@link SweepView}, with counts, images/s and ETA) when
 * the stream opens and then once a second while it changes, and {@code image} ({@link FinishedImage}) for each image
 * as it finishes, at most {@link #MAX_IMAGE_EVENTS_PER_SECOND} a second per stream (the counts in {@code progress}
 * stay exact). The stream ends after the {@code progress} event that shows the sweep COMPLETED or CANCELLED.
 */
@ApplicationScoped
public class SweepStream {

    static final int MAX_IMAGE_EVENTS_PER_SECOND = 200;

    @Inject
    SweepService sweeps;

    @Inject
    SweepEvents events;

    @Inject
    SweepPlans plans;

    private final ScheduledExecutorService ticker = Daemons.scheduler("sweep-stream");

    void onStop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
    }

    public Multi<OutboundSseEvent> events(UUID sweep, Sse sse) {
        SweepPlans.Compiled compiled = plans.get(sweep);
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<SweepView> last = new AtomicReference<>();
            AtomicInteger sentThisSecond = new AtomicInteger();
            AutoCloseable subscription = events.subscribe(sweep, f -> {
                if (sentThisSecond.incrementAndGet() <= MAX_IMAGE_EVENTS_PER_SECOND) {
                    UUID id = compiled.imageId(f.ordinal());
                    emit(emitter, sse.newEventBuilder().name("image").mediaType(MediaType.APPLICATION_JSON_TYPE)
                            .data(FinishedImage.class, new FinishedImage(id, sweep, f.ordinal(), f.state(),
                                    "/api/v1/images/" + id + "/png")).build());
                }
            });
            ScheduledFuture<?> tick = ticker.scheduleAtFixedRate(() -> {
                sentThisSecond.set(0);
                try {
                    SweepView now = sweeps.view(sweep);
                    SweepView before = last.getAndSet(now);
                    if (before == null || !sameProgress(before, now)) {
                        emit(emitter, sse.newEventBuilder().name("progress").mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(SweepView.class, now).build());
                    }
                    if (now.state().isTerminal()) {
                        emitter.complete();
                    }
                } catch (RuntimeException e) {
                    // the database is briefly unreachable: try again at the next tick
                }
            }, 0, 1, TimeUnit.SECONDS);
            emitter.onTermination(() -> {
                tick.cancel(false);
                try {
                    subscription.close();
                } catch (Exception e) {
                    // nothing to release
                }
            });
        });
    }

    private static boolean sameProgress(SweepView a, SweepView b) {
        return a.state() == b.state() && a.counts().equals(b.counts()) && a.priority() == b.priority()
                && Objects.equals(a.etaSeconds(), b.etaSeconds());
    }

    private static void emit(MultiEmitter<? super OutboundSseEvent> emitter, OutboundSseEvent event) {
        if (!emitter.isCancelled()) {
            synchronized (emitter) {
                emitter.emit(event);
            }
        }
    }
}
