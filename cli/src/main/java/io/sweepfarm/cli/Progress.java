package io.sweepfarm.cli;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepView;
import java.io.PrintStream;

/** A one-line progress bar on a terminal, or a line every few seconds when output is not a terminal. */
final class Progress {

    private final PrintStream out;
    private final boolean tty = System.console() != null;
    private long lastPrinted;
    private final long started = System.nanoTime();

    Progress(PrintStream out) {
        this.out = out;
    }

    void show(SweepView v) {
        long now = System.nanoTime();
        if (!tty && now - lastPrinted < 2_000_000_000L && !v.state().isTerminal()) {
            return;
        }
        lastPrinted = now;
        long total = Math.max(1, v.imageCount());
        long done = v.done();
        int width = 30;
        int filled = (int) (width * done / total);
        double seconds = (now - started) / 1e9;
        String line = String.format("[%s%s] %d/%d images  %s  ok %d  failed %d  %.1f img/s",
                "#".repeat(filled), ".".repeat(width - filled), done, v.imageCount(), v.state(),
                v.counts().getOrDefault(ImageState.SUCCEEDED, 0L), v.counts().getOrDefault(ImageState.FAILED, 0L),
                seconds > 0 ? done / seconds : 0.0);
        if (tty) {
            out.print("\r" + line);
            if (v.state().isTerminal()) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }
}
