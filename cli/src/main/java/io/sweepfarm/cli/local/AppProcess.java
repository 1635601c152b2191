package io.sweepfarm.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.sweepfarm.devstack.ChildJvm;
import io.sweepfarm.devstack.Logs;

/**
 * A packaged Quarkus application (coordinator or worker) running as a child JVM, its HTTP port bound to 127.0.0.1.
 * The child halts by itself when this
 * JVM dies (devstack's {@code ChildJvm} watches the parent), so a killed CLI leaves nothing behind.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private AppProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Launches {@code quarkus-app/quarkus-run.jar} of an application with {@code config} as system properties.
     *
     * @param appDir the application's {@code target/quarkus-app} folder
     */
    public static AppProcess launch(String name, Path appDir, int httpPort, Map<String, String> config, Path log) {
        Path runJar = appDir.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(runJar)) {
            throw new IllegalStateException(name + " is not built: " + runJar + " is missing; run ./mvnw install "
                    + "-DskipTests");
        }
        List<String> options = new ArrayList<>();
        options.add("-Xmx1g");
        options.add("-Dquarkus.http.port=" + httpPort);
        options.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((k, v) -> options.add("-D" + k + "=" + v));
        List<String> cmd = ChildJvm.command(options, runJar.toString(), "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
                List.of());
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new AppProcess(name, p, httpPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200, or fails with the tail of the log. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up;"
                        + " its log " + log + " ends with:\n" + tail(40));
            }
            if (isReady()) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; its log " + log
                + " ends with:\n" + tail(40));
    }

    /** Whether the application runs and {@code /q/health/ready} answers 200 now. */
    public boolean isReady() {
        if (!process.isAlive()) {
            return false;
        }
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + name + " whether it is ready", e);
        }
    }

    /** The HTTP port on 127.0.0.1. */
    public int port() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the application's log. */
    public String tail(int lines) {
        return Logs.tail(log, lines);
    }

    /** Stops the application gracefully (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills the application without warning (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
