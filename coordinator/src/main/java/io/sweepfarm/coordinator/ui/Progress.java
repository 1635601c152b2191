package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.TemplateData;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.coordinator.state.Lifecycles;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A sweep as its pages show it: counts by state, the widths of the progress bar's parts, pace and ETA as text, and
 * which controls apply in its state (taken from the sweep lifecycle, so a button is offered only where the transition
 * is allowed).
 */
@TemplateData
public record Progress(SweepView sweep) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public String id() {
        return sweep.id().toString();
    }

    /** The sweep's page, where its controls send the browser back to. */
    public String backUrl() {
        return "/sweeps/" + sweep.id();
    }

    /** The sweep's name, or its model when it has none. */
    public String title() {
        return sweep.name() == null || sweep.name().isBlank() ? sweep.model() : sweep.name();
    }

    public String state() {
        return sweep.state().name();
    }

    public String stateLabel() {
        return sweep.state().name().toLowerCase(Locale.ROOT);
    }

    public long total() {
        return sweep.imageCount();
    }

    public long count(ImageState s) {
        return sweep.counts().getOrDefault(s, 0L);
    }

    public long succeeded() {
        return count(ImageState.SUCCEEDED);
    }

    public long failed() {
        return count(ImageState.FAILED);
    }

    public long cancelled() {
        return count(ImageState.CANCELLED);
    }

    public long queued() {
        return count(ImageState.QUEUED);
    }

    public long pending() {
        return count(ImageState.PENDING);
    }

    public long done() {
        return succeeded() + failed() + cancelled();
    }

    public boolean finished() {
        return sweep.state().isTerminal();
    }

    /** Percent of the bar for succeeded, failed and cancelled images (CSS widths). */
    public String succeededWidth() {
        return width(succeeded());
    }

    public String failedWidth() {
        return width(failed());
    }

    public String cancelledWidth() {
        return width(cancelled());
    }

    /** Whole percent done, for the bar's accessible value. */
    public long percent() {
        return total() == 0 ? 100 : done() * 100 / total();
    }

    /** "18 of 24 done · 1 failed", the bar's text. */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(done()).append(" of ").append(total()).append(" done");
        if (failed() > 0) {
            sb.append(" · ").append(failed()).append(" failed");
        }
        if (cancelled() > 0) {
            sb.append(" · ").append(cancelled()).append(" cancelled");
        }
        return sb.toString();
    }

    public String rate() {
        double r = sweep.imagesPerSecond();
        if (finished() || r <= 0) {
            return "–";
        }
        return (r >= 10 ? String.format(Locale.ROOT, "%.0f", r) : String.format(Locale.ROOT, "%.2f", r)) + "/s";
    }

    public String eta() {
        if (finished()) {
            return sweep.state() == SweepState.COMPLETED ? "done" : "–";
        }
        Long s = sweep.etaSeconds();
        return s == null ? "–" : duration(s);
    }

    public String created() {
        return sweep.createdAt() == null ? "" : WHEN.format(sweep.createdAt()) + " UTC";
    }

    public int priority() {
        return sweep.priority();
    }

    public String model() {
        return sweep.model();
    }

    public String waiting() {
        return sweep.waiting();
    }

    public boolean canPause() {
        return Lifecycles.SWEEP.allows(sweep.state(), SweepState.PAUSED);
    }

    public boolean canResume() {
        return sweep.state() == SweepState.PAUSED;
    }

    public boolean canCancel() {
        return Lifecycles.SWEEP.allows(sweep.state(), SweepState.CANCELLED);
    }

    public boolean canRetry() {
        return failed() > 0 && sweep.state() != SweepState.CANCELLED;
    }

    public boolean canReprioritise() {
        return !finished();
    }

    /** Whether two views would show the same (pace aside when both are idle). */
    public boolean sameAs(Progress o) {
        return o != null && sweep.state() == o.sweep.state() && sweep.counts().equals(o.sweep.counts())
                && sweep.priority() == o.sweep.priority() && rate().equals(o.rate()) && eta().equals(o.eta());
    }

    private String width(long n) {
        return total() == 0 ? "0%" : String.format(Locale.ROOT, "%.2f%%", n * 100.0 / total());
    }

    /** "1 h 02 min", "3 min 05 s", "42 s". */
    static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return seconds + " s";
    }
}
