package io.sweepfarm.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A real S3 API server (s3proxy with its filesystem backend) in a child JVM on a loopback port, with AWS v2/v4
 * signature checking. The child halts by itself if this JVM dies; {@link #stop()} and {@link #start()} keep the
 * port and the stored objects.
 */
public final class S3Server extends ChildProcessServer {

    public static final String ACCESS_KEY = "sweepfarm";
    public static final String SECRET_KEY = "sweepfarm-devstack-secret";

    private final Path propsFile;

    private S3Server(Path propsFile, int port, Path log) {
        super("S3 (s3proxy " + version() + ")", port, log, Duration.ofSeconds(60), Duration.ofSeconds(10));
        this.propsFile = propsFile;
    }

    /** Starts s3proxy with its objects under {@code dataDir}/blobs and waits until it listens. */
    public static S3Server start(Path dataDir, int port) {
        S3Server s3 = launch(dataDir, port);
        s3.awaitUp();
        return s3;
    }

    /** Starts s3proxy without waiting for it to listen; {@link #awaitUp()} waits. */
    static S3Server launch(Path dataDir, int port) {
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
            S3Server s3 = new S3Server(propsFile, port, dataDir.resolve("s3proxy.log"));
            s3.launchProcess();
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start s3proxy in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    List<String> command() {
        return ChildJvm.command(List.of("-Xmx256m", "-XX:+UseSerialGC"), s3proxyJar().toString(),
                "org.gaul.s3proxy.Main", List.of("--properties", propsFile.toString()));
    }

    /** The s3proxy jar-with-dependencies that the devstack build placed in the local Maven repository. */
    static Path s3proxyJar() {
        String override = System.getProperty("sweepfarm.devstack.s3proxy-jar", System.getenv("SWEEPFARM_S3PROXY_JAR"));
        Path jar = override != null ? Path.of(override) : Path.of(BuildInfo.properties().getProperty("s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar + ": build the devstack module "
                    + "(./mvnw -pl devstack install) or set SWEEPFARM_S3PROXY_JAR to an s3proxy jar-with-dependencies");
        }
        return jar;
    }

    private static String version() {
        return BuildInfo.properties().getProperty("s3proxy.version");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }
}
