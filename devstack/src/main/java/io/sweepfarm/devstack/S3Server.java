package io.sweepfarm.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real S3 API server (s3proxy with its filesystem backend) in a child JVM on a loopback port, with AWS v2/v4
 * signature checking. The child halts by itself if this JVM dies.
 */
public final class S3Server implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3Server.class);
    public static final String ACCESS_KEY = "sweepfarm";
    public static final String SECRET_KEY = "sweepfarm-devstack-secret";

    private final Process process;
    private final int port;

    private S3Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3Server start(Path dataDir, int port) {
        long t0 = System.nanoTime();
        Path jar = s3proxyJar();
        try {
            Path blobs = Files.createDirectories(dataDir.resolve("blobs"));
            Properties p = new Properties();
            p.put("s3proxy.endpoint", "http://127.0.0.1:" + port);
            p.put("s3proxy.authorization", "aws-v2-or-v4");
            p.put("s3proxy.identity", ACCESS_KEY);
            p.put("s3proxy.credential", SECRET_KEY);
            p.put("jclouds.provider", "filesystem-nio2");
            p.put("jclouds.filesystem.basedir", blobs.toString());
            Path propsFile = dataDir.resolve("s3proxy.properties");
            try (Writer w = Files.newBufferedWriter(propsFile)) {
                p.store(w, "sweepfarm devstack s3proxy");
            }
            Path log = dataDir.resolve("s3proxy.log");
            List<String> cmd = List.of(ChildJvm.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-cp", jar + java.io.File.pathSeparator + ChildJvm.codeLocation(),
                    ChildJvm.class.getName(), Long.toString(ProcessHandle.current().pid()),
                    "org.gaul.s3proxy.Main", "--properties", propsFile.toString());
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            try {
                Ports.awaitListening(port, Duration.ofSeconds(60), "s3proxy (log: " + log + ")");
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            LOG.infof("S3 (s3proxy %s) up on http://127.0.0.1:%d (data %s) in %d ms", version(), port, blobs,
                    (System.nanoTime() - t0) / 1_000_000);
            return new S3Server(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start s3proxy in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The s3proxy jar-with-dependencies that the devstack build placed in the local Maven repository. */
    static Path s3proxyJar() {
        String override = System.getProperty("sweepfarm.devstack.s3proxy-jar", System.getenv("SWEEPFARM_S3PROXY_JAR"));
        Path jar = override != null ? Path.of(override) : Path.of(buildProperties().getProperty("s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + ": build the devstack module "
                    + "(./mvnw -pl devstack install) or set SWEEPFARM_S3PROXY_JAR to an s3proxy jar-with-dependencies");
        }
        return jar;
    }

    private static String version() {
        return buildProperties().getProperty("s3proxy.version");
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = S3Server.class.getResourceAsStream("devstack.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("devstack.properties missing from the devstack jar", e);
        }
        return p;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
