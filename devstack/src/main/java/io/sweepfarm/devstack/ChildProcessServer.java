package io.sweepfarm.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A server running in a child JVM (started through {@link ChildJvm}, so it halts when this JVM dies, even after a
 * SIGKILL), listening on a fixed loopback port. Stopping sends SIGTERM and waits; starting again reuses the port.
 */
abstract class ChildProcessServer implements ServerControl, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcessServer.class);

    private final String name;
    private final int port;
    private final Path log;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private Process process;

    ChildProcessServer(String name, int port, Path log, Duration startTimeout, Duration stopTimeout) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** The child's command line, from {@link ChildJvm#command}. */
    abstract List<String> command() throws IOException;

    /** Starts the child unless it runs, without waiting for its port; {@link #awaitUp()} waits. */
    final synchronized void launchProcess() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the child listens on its port; stops it and throws with its log's tail if it does not. */
    final synchronized void awaitUp() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!Ports.isListening(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " during start-up; its log " + log + " ends with:\n" + Logs.tail(log, 30));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within "
                        + startTimeout.toSeconds() + " s; its log " + log + " ends with:\n" + Logs.tail(log, 30));
            }
            Ports.pause(Duration.ofMillis(50));
        }
    }

    @Override
    public final void start() {
        long t0 = System.nanoTime();
        launchProcess();
        awaitUp();
        LOG.infof("%s up on 127.0.0.1:%d in %d ms", name, port, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public final synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%s did not stop within %d s of SIGTERM; killing it", name, stopTimeout.toSeconds());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public final synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public final synchronized long pid() {
        return isRunning() ? process.pid() : -1;
    }

    public final int port() {
        return port;
    }

    @Override
    public final void close() {
        stop();
    }
}
