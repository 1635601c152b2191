package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.coordinator.sweep.SweepService.ReleasableWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

/**
 * Consumes {@link RenderResult}s from {@code sweepfarm.results.v1} (channel {@code results}, group
 * {@code sweepfarm-coordinator}). The method runs on a worker thread and records the result in its own transaction;
 * SmallRye acknowledges the record (and so lets its offset be committed) only after the method returned, i.e. after
 * the commit. A crash in between re-delivers the result, which {@link ResultRecorder} applies idempotently.
 *
 * <p>A message that is not a result is logged and skipped (retrying cannot fix it). When recording fails (the
 * database is down or restarting) the result is retried with backoff, in a fresh transaction each time, for up to
 * ten minutes while the partition waits: an outage delays results, it does not lose or reorder them. Only a result
 * that still cannot be recorded after that goes to the channel's failure strategy, the dead-letter topic
 * {@code sweepfarm.results.v1.dlq}, from which it can be replayed safely because recording is idempotent. Tune with
 * MicroProfile Fault Tolerance keys, e.g. {@code io.sweepfarm.coordinator.messaging.ResultConsumer/onResult/Retry/maxDuration}.
 */
@ApplicationScoped
public class ResultConsumer {

    @Inject
    ResultRecorder recorder;

    @Inject
    Event<ReleasableWork> releasable;

    @Incoming("results")
    @Blocking
    @Retry(maxRetries = -1, delay = 500, maxDuration = 10, durationUnit = ChronoUnit.MINUTES, jitter = 250)
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
            QuarkusTransaction.requiringNew().run(() -> {
                if (recorder.record(result)) {
                    releasable.fire(new ReleasableWork(result.sweepId())); // capacity was freed
                }
            });
        } catch (RuntimeException e) {
            Log.warnf("Recording the result of image %s (sweep %s) failed: %s; retrying (check the database)",
                    result.imageId(), result.sweepId(), e.getMessage());
            throw e;
        } finally {
            MDC.remove("image_id");
            MDC.remove("sweep_id");
        }
    }
}
