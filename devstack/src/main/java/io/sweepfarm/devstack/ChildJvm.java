package io.sweepfarm.devstack;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of child JVMs that devstack launches: it halts the child as soon as the parent JVM is gone (even after
 * a SIGKILL, which runs no shutdown hook), then runs the real main class.
 *
 * <p>Usage: {@code ChildJvm <parentPid> <mainClass> [args...]}
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    /** Where this class's code lives (a jar or a classes directory), for the child's class path. */
    static String codeLocation() {
        try {
            return java.nio.file.Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The java executable running this JVM. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
