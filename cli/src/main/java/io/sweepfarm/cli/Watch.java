package io.sweepfarm.cli;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.SweepView;
import java.util.UUID;

/** Polls a sweep until it reaches a terminal state. */
final class Watch {

    private Watch() {
    }

    static SweepView untilDone(SweepfarmClient client, UUID id, Progress progress) throws InterruptedException {
        while (true) {
            SweepView v = client.sweep(id);
            progress.show(v);
            if (v.state().isTerminal()) {
                return v;
            }
            Thread.sleep(300);
        }
    }
}
