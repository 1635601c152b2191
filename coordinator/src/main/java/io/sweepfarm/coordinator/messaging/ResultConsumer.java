package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.coordinator.sweep.SweepService.ReleasableWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes {@link RenderResult}s from {@code sweepfarm.results.v1} (channel {@code results}, group
 * {@code sweepfarm-coordinator}). The method runs on a worker thread inside a transaction; SmallRye acknowledges the
 * record (and so lets its offset be committed) only after the method returned, i.e. after the commit. A crash in
 * between re-delivers the result, which {@link ResultRecorder} applies idempotently.
 *
 * <p>A message that is not a result is logged and skipped (retrying cannot fix it). Any other failure goes to the
 * channel's failure strategy: the dead-letter topic {@code sweepfarm.results.v1.dlq}, from which results can be
 * replayed safely because recording is idempotent.
 */
@ApplicationScoped
public class ResultConsumer {

    @Inject
    ResultRecorder recorder;

    @Inject
    Event<ReleasableWork> releasable;

    @Incoming("results")
    @Blocking
    @Transactional
    public void onResult(String json) {
        RenderResult result;
        try {
            result = Json.fromString(json, RenderResult.class);
        } catch (RuntimeException e) {
            Log.warnf("Skipping a message on the results topic that is not a RenderResult: %s", e.getMessage());
            return;
        }
        if (result == null || result.imageId() == null || result.outcome() == null) {
            Log.warnf("Skipping a result without image_id or outcome: %s", json);
            return;
        }
        MDC.put("image_id", result.imageId().toString());
        if (result.sweepId() != null) {
            MDC.put("sweep_id", result.sweepId().toString());
        }
        try {
            if (recorder.record(result)) {
                releasable.fire(new ReleasableWork(result.sweepId())); // capacity was freed
            }
        } finally {
            MDC.remove("image_id");
            MDC.remove("sweep_id");
        }
    }
}
