package io.sweepfarm.devstack;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /**
     * The command line of a child JVM that runs {@code mainClass} with {@code args} and halts when this JVM dies.
     *
     * @param jvmOptions options such as {@code -Xmx256m} and {@code -Dkey=value}
     * @param classPath  the child's class path; devstack's own code is appended (for this class)
     */
    public static List<String> command(List<String> jvmOptions, String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath + File.pathSeparator + codeLocation(ChildJvm.class));
        cmd.add(ChildJvm.class.getName());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Where a class's code lives (a jar or a classes directory), for a child's class path. */
    public static String codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The java executable running this JVM. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
