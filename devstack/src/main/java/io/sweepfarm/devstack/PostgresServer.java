package io.sweepfarm.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server from zonky's embedded binaries, on a loopback port. With {@code durable} it commits as a
 * production server does (fsync, synchronous commit and full-page writes on: one-machine mode keeps the user's
 * data); without, it trades crash safety for speed (tests).
 *
 * <p>The postmaster is a native process that pg_ctl detaches into its own session, so it would outlive this JVM. A
 * small watcher ({@code sh}) holds a pipe from this JVM; when the pipe closes because this JVM died (even by
 * SIGKILL) it asks the postmaster for a fast shutdown, and kills its process group if it has not gone within 10 s.
 * {@link #stop()} and {@link #start()} keep the port and the data.
 */
public final class PostgresServer implements ServerControl, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    /**
     * Waits for EOF on stdin, then stops the postmaster whose pid is $1 (its process group after 10 s). An exited
     * postmaster may linger as a zombie until init reaps it: it counts as gone.
     */
    private static final String WATCHER = """
            alive() {
              kill -0 "$1" 2>/dev/null || return 1
              [ -r "/proc/$1/stat" ] || return 0
              case "$(cut -d')' -f2 "/proc/$1/stat")" in " Z"*) return 1 ;; esac
            }
            read -r _
            kill -INT "$1" 2>/dev/null || exit 0
            n=0
            while alive "$1"; do
              n=$((n + 1))
              if [ "$n" -gt 100 ]; then kill -s KILL -- "-$1" 2>/dev/null; exit 0; fi
              sleep 0.1
            done
            """;

    /** Watchers stay reachable: a collected Process would close its pipe and stop a running server. */
    private static final Set<Process> WATCHERS = ConcurrentHashMap.newKeySet();

    private final Path dataDir;
    private final int port;
    private final boolean durable;
    private EmbeddedPostgres postgres;
    private Process watcher;
    private long pid = -1;

    private PostgresServer(Path dataDir, int port, boolean durable) {
        this.dataDir = dataDir;
        this.port = port;
        this.durable = durable;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir}.
     *
     * @param keepData reuse an existing data directory instead of wiping it
     * @param durable  fsync, synchronous commit and full-page writes on (off is faster and fine for throw-away data)
     */
    public static PostgresServer start(Path dataDir, int port, boolean keepData, boolean durable) {
        try {
            if (!keepData && Files.exists(dataDir)) {
                try (var files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the PostgreSQL data directory " + dataDir + ": "
                    + e.getMessage(), e);
        }
        PostgresServer server = new PostgresServer(dataDir, port, durable);
        server.start();
        return server;
    }

    @Override
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        long t0 = System.nanoTime();
        // zonky passes -F (fsync off) and synchronous_commit=off by default; the -c options below come after -F and
        // win, so each of the three is set explicitly either way.
        String on = durable ? "on" : "off";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", on)
                .setServerConfig("synchronous_commit", on)
                .setServerConfig("full_page_writes", on)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()));
        try {
            postgres = builder.start();
            pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            watcher = new ProcessBuilder("sh", "-c", WATCHER, "postgres-watch", Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            WATCHERS.add(watcher);
        } catch (IOException | RuntimeException e) {
            stop();
            throw new IllegalStateException("could not start embedded PostgreSQL in " + dataDir + " on port " + port
                    + ": " + e.getMessage() + "; its log " + log() + " ends with:\n" + Logs.tail(log(), 20), e);
        }
        LOG.infof("PostgreSQL up on 127.0.0.1:%d (data %s, %s) in %d ms", port, dataDir,
                durable ? "durable" : "fsync off", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Stops PostgreSQL with a fast shutdown (open sessions are ended, everything committed is kept). */
    @Override
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close(); // pg_ctl stop -m fast, waiting 5 s at most
            } catch (IOException e) {
                LOG.warnf("PostgreSQL did not stop cleanly: %s", e.getMessage());
            }
            postgres = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Processes.isAlive(pid) && System.nanoTime() < deadline) {
                Ports.pause(Duration.ofMillis(100));
            }
            if (Processes.isAlive(pid)) {
                LOG.warnf("PostgreSQL (pid %d) did not stop within 30 s of a fast shutdown; killing it", pid);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (watcher != null) {
            watcher.destroy();
            try {
                watcher.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            WATCHERS.remove(watcher);
            watcher = null;
        }
        pid = -1;
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null && Processes.isAlive(pid);
    }

    /** The postmaster's process id, or -1 while stopped. */
    @Override
    public synchronized long pid() {
        return postgres != null ? pid : -1;
    }

    private Path log() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
