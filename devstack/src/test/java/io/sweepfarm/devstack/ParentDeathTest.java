package io.sweepfarm.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every devstack server follows the JVM that started it: when that JVM is SIGKILLed (no shutdown hook runs), the
 * PostgreSQL postmaster and the Kafka and S3 child JVMs stop within seconds, and the state directory can be used
 * again at once.
 */
class ParentDeathTest {

    @TempDir
    Path state;

    @Test
    void everyServerStopsWhenTheJvmThatStartedItIsKilledWithSigkill() throws Exception {
        Process holder = new ProcessBuilder(ChildJvm.javaExecutable(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), DevstackHolder.class.getName(), state.toString())
                .redirectErrorStream(true).start();
        long[] ready;
        try {
            ready = CompletableFuture.supplyAsync(() -> readyLine(holder)).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            holder.destroyForcibly();
            throw e;
        }
        List<Long> pids = List.of(ready[0], ready[1], ready[2]);
        List<Integer> ports = List.of((int) ready[3], (int) ready[4], (int) ready[5]);
        assertThat(pids).allMatch(Processes::isAlive);
        assertThat(ports).allMatch(Ports::isListening);

        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        long killed = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pids.stream().noneMatch(Processes::isAlive)
                        && ports.stream().noneMatch(Ports::isListening));
        System.out.printf("devstack servers gone %d ms after the parent's SIGKILL%n",
                (System.nanoTime() - killed) / 1_000_000);

        // Nothing holds the state directory: the data can be opened again by a new devstack.
        try (Devstack again = Devstack.start(state, true);
                Connection c = DriverManager.getConnection(again.endpoints().jdbcUrl(), PostgresServer.USER, "")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }


    private static long[] readyLine(Process holder) {
        // Not closed here: after READY a daemon thread keeps draining the holder's output so it never blocks.
        BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        try {
            StringBuilder seen = new StringBuilder();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("READY ")) {
                    Thread drain = new Thread(() -> r.lines().forEach(l -> { }), "holder-output");
                    drain.setDaemon(true);
                    drain.start();
                    return Arrays.stream(line.substring(6).trim().split(" ")).mapToLong(Long::parseLong).toArray();
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("the devstack holder ended without starting devstack:\n" + seen);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
