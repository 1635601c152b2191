package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.cli.local.LoopbackPort;
import io.sweepfarm.cli.local.StateLock;
import io.sweepfarm.devstack.ChildJvm;
import io.sweepfarm.devstack.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself, in this JVM: help, refusals in one sentence, the port choice and the state lock. */
class CliTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        CliRun top = CliRun.of("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: sweepfarm").contains("sweeps");
        var names = Main.commandLine().getSubcommands().keySet();
        assertThat(names).contains("demo", "up", "submit", "status", "sweeps", "images", "pause", "resume", "cancel",
                "export");
        for (String name : names) {
            CliRun help = CliRun.of(name, "--help");
            assertThat(help.exit()).as("%s --help", name).isZero();
            assertThat(help.out()).as("%s --help", name).contains("Usage: sweepfarm " + name);
            assertThat(help.err()).as("%s --help", name).isEmpty();
        }
    }

    @Test
    void aMissingSweepFileIsRefusedInOneSentenceWithTheFix() {
        CliRun run = CliRun.of("submit", dir.resolve("nope.json").toString(), "--coordinator", "http://127.0.0.1:9");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errIsOneSentence()).as(run.err()).isTrue();
        assertThat(run.err()).contains("nope.json does not exist").contains("examples/demo-sweep.json");
    }

    @Test
    void aCoordinatorUrlWithoutSchemeIsRefusedInOneSentenceWithTheFix() throws Exception {
        Path spec = Files.writeString(dir.resolve("s.json"), "{}");
        CliRun run = CliRun.of("submit", spec.toString(), "--coordinator", "localhost:8080");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errIsOneSentence()).as(run.err()).isTrue();
        assertThat(run.err()).contains("'localhost:8080' is not an http(s) URL").contains("http://localhost:8080");
    }

    @Test
    void aCoordinatorThatDoesNotAnswerIsReportedInOneSentenceWithTheFix() {
        int nobody = Ports.free();
        CliRun run = CliRun.of("sweeps", "--coordinator", "http://127.0.0.1:" + nobody);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errIsOneSentence()).as(run.err()).isTrue();
        assertThat(run.err()).contains("no coordinator answers at http://127.0.0.1:" + nobody)
                .contains("./sweepfarm up");
    }

    @Test
    void aMalformedArgumentIsOneSentencePointingAtTheCommandsHelp() {
        CliRun run = CliRun.of("status", "not-a-uuid");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errIsOneSentence()).as(run.err()).isTrue();
        assertThat(run.err()).contains("not-a-uuid").contains("see 'sweepfarm status --help'");
    }

    @Test
    void anExportIntoAMissingFolderIsRefusedBeforeAnythingIsDownloaded() {
        String missing = dir.resolve("no/such/dir/x.zip").toString();
        CliRun run = CliRun.of("export", UUID.randomUUID().toString(), "-o", missing, "--coordinator",
                "http://127.0.0.1:9");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errIsOneSentence()).as(run.err()).isTrue();
        assertThat(run.err()).contains("does not exist; create it");
    }

    @Test
    void theRequestedPortIsUsedWhenFreeAndAnotherOneIsChosenAndAnnouncedWhenTaken() throws Exception {
        List<String> said = new ArrayList<>();
        int free = Ports.free();
        assertThat(LoopbackPort.choose(free, said::add)).isEqualTo(free);
        assertThat(said).isEmpty();
        assertThat(LoopbackPort.choose(0, said::add)).isPositive();
        assertThat(said).isEmpty();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int chosen = LoopbackPort.choose(taken.getLocalPort(), said::add);
            assertThat(chosen).isNotEqualTo(taken.getLocalPort()).isPositive();
            assertThat(Ports.isFree(chosen)).isTrue();
            assertThat(said).singleElement().asString().contains("port " + taken.getLocalPort())
                    .contains("taken").contains("using port " + chosen).contains("--port");
        }
    }

    @Test
    void withoutAnOptionOrEnvironmentTheCoordinatorOfARunningUpIsUsedElseTheDefault() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SWEEPFARM_COORDINATOR") == null);
        String saved = System.getProperty("sweepfarm.state-dir");
        System.setProperty("sweepfarm.state-dir", dir.toString());
        try {
            assertThat(new CoordinatorOption().resolve()).isEqualTo("http://127.0.0.1:8080");
            try (StateLock lock = StateLock.tryAcquire(dir, "sweepfarm up").orElseThrow()) {
                lock.publish("sweepfarm up", "http://127.0.0.1:41234");
                assertThat(new CoordinatorOption().resolve()).isEqualTo("http://127.0.0.1:41234");
            }
            assertThat(new CoordinatorOption().resolve()).isEqualTo("http://127.0.0.1:8080");
        } finally {
            if (saved == null) {
                System.clearProperty("sweepfarm.state-dir");
            } else {
                System.setProperty("sweepfarm.state-dir", saved);
            }
        }
    }

    @Test
    void aSecondUpOnTheSameStateDirIsRefusedInOneSentenceNamingTheFirst() throws Exception {
        try (StateLock lock = StateLock.tryAcquire(dir, "sweepfarm up").orElseThrow()) {
            lock.publish("sweepfarm up", "http://127.0.0.1:41234");
            // The second 'up' is another process, as it would be.
            Process second = new ProcessBuilder(ChildJvm.command(List.of("-Xmx128m"),
                    System.getProperty("java.class.path"), Main.class.getName(),
                    List.of("up", "--state-dir", dir.toString(), "--port", "0"))).start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).as(err).isEqualTo(2);
            assertThat(new CliRun(2, "", err).errIsOneSentence()).as(err).isTrue();
            assertThat(err).contains("already running on " + dir)
                    .contains("pid " + ProcessHandle.current().pid() + ", http://127.0.0.1:41234")
                    .contains("--state-dir");
        }
    }
}
