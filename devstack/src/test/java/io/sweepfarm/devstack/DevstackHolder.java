package io.sweepfarm.devstack;

import java.nio.file.Path;

/**
 * Main class of a JVM that starts a persistent devstack in {@code args[0]}, prints its servers' pids and ports on
 * one line starting with {@code READY}, and holds it until it is killed: the parent of {@link ParentDeathTest}.
 */
public final class DevstackHolder {

    private DevstackHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        Devstack devstack = Devstack.start(Path.of(args[0]), true);
        System.out.printf("READY %d %d %d %d %d %d%n", devstack.postgres().pid(), devstack.kafka().pid(),
                devstack.s3().pid(), devstack.postgres().port(), devstack.kafka().port(), devstack.s3().port());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
