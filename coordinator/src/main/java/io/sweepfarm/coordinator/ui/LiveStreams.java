package io.sweepfarm.coordinator.ui;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.sweepfarm.common.api.FinishedImage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.coordinator.events.SweepStream;
import io.sweepfarm.coordinator.plan.Condition;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pages' live updates as server-sent events of HTML, which htmx's SSE extension swaps into the page: the sweep
 * page and the grid follow {@link SweepStream} (progress once a second while it changes, images as they finish),
 * the sweeps list follows every sweep it shows with one stream (browsers allow few connections per server, so never
 * one per sweep). Streams of a sweep end with a {@code done} event when it is final, so the page stops listening.
 */
@ApplicationScoped
public class LiveStreams {

    /** Most new thumbnails one sweep page receives per second; the rest are on the browse page. */
    static final int TILES_PER_SECOND = 8;

    @Inject
    SweepStream stream;

    @Inject
    SweepService sweeps;

    @Inject
    SweepPlans plans;

    @Inject
    Browsing browsing;

    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "ui-live");
        t.setDaemon(true);
        return t;
    });

    void onStop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
    }

    /** The sweep page: progress panels and new thumbnails. */
    public Multi<OutboundSseEvent> sweepPage(UUID sweep, Sse sse) {
        SweepPlans.Compiled compiled = plans.get(sweep);
        AtomicLong second = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        return follow(sweep, sse, () -> finalGallery(sweep), image -> {
            if (image.state() != ImageState.SUCCEEDED) {
                return null;
            }
            long now = System.currentTimeMillis() / 1000;
            if (second.getAndSet(now) != now) {
                sent.set(0);
            }
            if (sent.incrementAndGet() > TILES_PER_SECOND) {
                return null;
            }
            var view = new io.sweepfarm.common.api.ImageView(image.id(), sweep, image.ordinal(),
                    compiled.plan().at(image.ordinal()), image.state(), 0, null, null, image.downloadUrl(), null,
                    null, null, null, null);
            return event(sse, "image", Templates.sweep$tile(Tile.of(view)).render());
        });
    }

    /** The grid page: progress aside, the cells of the images the plot shows (those passing {@code conditions}). */
    public Multi<OutboundSseEvent> grid(UUID sweep, List<Condition> conditions, Sse sse) {
        SweepPlan plan = plans.get(sweep).plan();
        return follow(sweep, sse, () -> "", image -> {
            if (image.state() != ImageState.SUCCEEDED) {
                return null;
            }
            ImageParameters p = plan.at(image.ordinal());
            if (!conditions.stream().allMatch(c -> c.test(p))) {
                return null;
            }
            return event(sse, "cells", Templates.grid$live(image.id().toString()).render());
        });
    }

    /**
     * The gallery of a sweep that became final, swapped in whole (out of band): images that finished between the
     * page's render and the stream's start, or beyond the pushed rate, are shown too.
     */
    private String finalGallery(UUID sweep) {
        var tiles = browsing.sweepTiles(sweep);
        StringBuilder html = new StringBuilder("<ul class=\"tiles\" id=\"gallery\" hx-swap-oob=\"true\">");
        tiles.getKey().forEach(t -> html.append(Templates.sweep$tile(t).render()));
        return html.append("</ul>").toString();
    }

    /**
     * Progress and images of a sweep; {@code onFinal} adds HTML to the progress event that shows the sweep final.
     */
    private Multi<OutboundSseEvent> follow(UUID sweep, Sse sse, java.util.function.Supplier<String> onFinal,
            java.util.function.Function<FinishedImage, OutboundSseEvent> onImage) {
        AtomicReference<SweepState> shownState = new AtomicReference<>();
        return stream.events(sweep, sse).onItem().transformToIterable(e -> {
            if ("progress".equals(e.getName())) {
                Progress p = new Progress((SweepView) e.getData());
                String html = Templates.sweep$progress(p).render();
                SweepState before = shownState.getAndSet(p.sweep().state());
                if (before != null && before != p.sweep().state()) {
                    // The controls change only with the state, so a focused button is not replaced every second.
                    html += "<div id=\"actions\" hx-swap-oob=\"true\">" + Templates.sweep$actions(p).render()
                            + "</div>";
                }
                if (p.finished() && before != p.sweep().state()) {
                    html += onFinal.get();
                }
                return List.of(event(sse, "progress", html));
            }
            OutboundSseEvent shown = onImage.apply((FinishedImage) e.getData()); // null: not shown on this page
            return shown == null ? List.<OutboundSseEvent>of() : List.of(shown);
        }).onCompletion().continueWith(event(sse, "done", "<span hidden>done</span>"));
    }

    /**
     * The sweeps list: every second, the rows of the listed sweeps whose progress changed ({@code rows}, swapped
     * by id) and sweeps that appeared ({@code new}). Runs until the page goes away.
     */
    public Multi<OutboundSseEvent> sweepsList(int limit, SweepState state, String model, Sse sse) {
        return Multi.createFrom().emitter(emitter -> {
            Map<UUID, Progress> shown = new HashMap<>();
            boolean[] first = {true};
            ScheduledFuture<?> tick = ticker.scheduleAtFixedRate(() -> {
                try {
                    StringBuilder changed = new StringBuilder();
                    List<SweepView> now = sweeps.list(limit, state, model);
                    for (int i = now.size() - 1; i >= 0; i--) {
                        Progress p = new Progress(now.get(i));
                        Progress before = shown.put(now.get(i).id(), p);
                        if (before == null && !first[0]) {
                            emitter.emit(event(sse, "new", Templates.sweeps$row(p).render()));
                        } else if (before != null && !before.sameAs(p)) {
                            changed.append(Templates.sweeps$live(p).render());
                            if (before.sweep().state() != p.sweep().state()) {
                                changed.append(Templates.sweeps$liveActions(p).render());
                            }
                        }
                    }
                    first[0] = false;
                    if (!changed.isEmpty()) {
                        emitter.emit(event(sse, "rows", changed.toString()));
                    }
                } catch (RuntimeException e) {
                    // the database is briefly unreachable: the next tick tries again
                }
            }, 0, 1, TimeUnit.SECONDS);
            emitter.onTermination(() -> tick.cancel(false));
        });
    }

    /** An event of HTML; line breaks are sent as character references, so the data is one line. */
    private static OutboundSseEvent event(Sse sse, String name, String html) {
        return sse.newEventBuilder().name(name).data(html.replace("\r", "").replace("\n", "&#10;")).build();
    }
}
