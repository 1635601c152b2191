package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.cli.local.StateLock;
import io.sweepfarm.devstack.ChildJvm;
import io.sweepfarm.devstack.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweepfarm up} as a user runs it, in its own process: it moves off a taken port and says so, listens on
 * loopback only, and the other commands find it without {@code --coordinator}; a second {@code up} on the same state
 * directory is refused; SIGTERM stops everything and frees the state directory.
 */
class UpCommandIT {

    private static final Pattern UP = Pattern.compile("Sweepfarm is up: (http://127\\.0\\.0\\.1:(\\d+))");

    @TempDir
    Path state;

    @Test
    void upMovesOffATakenPortListensOnLoopbackOnlyAndTheOtherCommandsFindIt() throws Exception {
        Path home = Path.of(System.getProperty("sweepfarm.home", "..")).toAbsolutePath().normalize();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Process up;
        String url;
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            up = new ProcessBuilder(ChildJvm.command(List.of("-Xmx512m", "-Dsweepfarm.home=" + home),
                    System.getProperty("java.class.path"), Main.class.getName(), List.of("up", "--state-dir",
                            state.toString(), "--port", Integer.toString(taken.getLocalPort()), "--model-path",
                            state.resolve("model").toString()))).redirectErrorStream(true).start();
            Matcher m = CompletableFuture.supplyAsync(() -> awaitLine(up, lines)).get(5, TimeUnit.MINUTES);
            url = m.group(1);
            port = Integer.parseInt(m.group(2));
            assertThat(lines).anyMatch(l -> l.contains("port " + taken.getLocalPort() + " on 127.0.0.1 is taken; "
                    + "using port " + port));
        }
        String saved = System.getProperty("sweepfarm.state-dir");
        System.setProperty("sweepfarm.state-dir", state.toString());
        try {
            nonLoopbackAddress().ifPresent(address -> assertThat(connects(address, port))
                    .as("the coordinator must not listen on %s", address).isFalse());
            assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();

            Path spec = Files.write(state.resolve("up-sweep.json"), SweepAudit.sweep("up test", List.of("up one",
                    "up two"), 4, 1, 2));
            CliRun submit = CliRun.of("submit", spec.toString(), "--watch");
            assertThat(submit.exit()).as(submit.err()).isZero();
            assertThat(submit.out()).contains("accepted: 4 images").contains("COMPLETED");
            String id = submit.out().replaceAll("(?s).*sweep ([0-9a-f-]{36}) accepted.*", "$1");

            CliRun sweeps = CliRun.of("sweeps");
            assertThat(sweeps.exit()).as(sweeps.err()).isZero();
            assertThat(sweeps.out()).contains("ID")
                    .containsPattern(id + "\\s+COMPLETED\\s+tiny\\s+4/4\\s+0\\s+.*up test");

            CliRun second = CliRun.of("up", "--state-dir", state.toString(), "--port", "0");
            assertThat(second.exit()).isEqualTo(2);
            assertThat(second.errIsOneSentence()).as(second.err()).isTrue();
            assertThat(second.err()).contains("already running on " + state).contains("pid " + up.pid())
                    .contains(url);
        } finally {
            if (saved == null) {
                System.clearProperty("sweepfarm.state-dir");
            } else {
                System.setProperty("sweepfarm.state-dir", saved);
            }
            up.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(up.waitFor(2, TimeUnit.MINUTES)).as("up stops on SIGTERM").isTrue();
        }
        assertThat(StateLock.holder(state)).isEmpty();
        assertThat(Ports.isListening(port)).isFalse();
    }

    private static Matcher awaitLine(Process up, List<String> lines) {
        BufferedReader r = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                System.out.println("[up] " + line);
                lines.add(line);
                Matcher m = UP.matcher(line);
                if (m.find()) {
                    Thread drain = new Thread(() -> {
                        try {
                            r.lines().forEach(l -> System.out.println("[up] " + l));
                        } catch (java.io.UncheckedIOException e) {
                            // the process ended and its output was closed
                        }
                    }, "up-output");
                    drain.setDaemon(true);
                    drain.start();
                    return m;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("sweepfarm up ended without coming up:\n" + String.join("\n", lines));
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof java.net.Inet4Address).findFirst();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
