package io.sweepfarm.devstack;

import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Real PostgreSQL, Kafka and S3 on loopback, without Docker: the infrastructure of the one-machine mode and of every
 * integration test. Each server follows this JVM: it stops when this JVM dies, even by SIGKILL. Each can be stopped
 * and started again on its port with its data ({@link #postgres()}, {@link #kafka()}, {@link #s3()}), for fault
 * tests. Close it to stop all three.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Devstack.class);
    public static final String BUCKET = "sweepfarm";

    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final S3Server s3;

    private Devstack(PostgresServer postgres, KafkaBroker kafka, S3Server s3) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * Starts the three servers with their data under {@code stateDir}; the two child JVMs start while PostgreSQL
     * does.
     *
     * @param persistent keep data across restarts and commit durably (one-machine mode); otherwise start empty and
     *                   fast (tests)
     */
    public static Devstack start(Path stateDir, boolean persistent) {
        long t0 = System.nanoTime();
        KafkaBroker kafka = null;
        S3Server s3 = null;
        PostgresServer pg = null;
        try {
            kafka = KafkaBroker.launch(stateDir.resolve("kafka"), Ports.free(), persistent);
            s3 = S3Server.launch(stateDir.resolve("s3"), Ports.free());
            pg = PostgresServer.start(stateDir.resolve("postgres"), Ports.free(), persistent, persistent);
            s3.awaitUp();
            kafka.awaitUp();
            LOG.infof("devstack ready in %d ms (PostgreSQL :%d, Kafka :%d, S3 :%d)",
                    (System.nanoTime() - t0) / 1_000_000, pg.port(), kafka.port(), s3.port());
            return new Devstack(pg, kafka, s3);
        } catch (RuntimeException e) {
            for (AutoCloseable started : new AutoCloseable[] {pg, s3, kafka}) {
                closeQuietly(started);
            }
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warnf("while stopping devstack after a failed start: %s", e.getMessage());
        }
    }

    public Endpoints endpoints() {
        return new Endpoints(postgres.jdbcUrl(), PostgresServer.USER, "postgres", kafka.bootstrapServers(),
                s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, BUCKET);
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public S3Server s3() {
        return s3;
    }

    @Override
    public void close() {
        long t0 = System.nanoTime();
        s3.close();
        kafka.close();
        postgres.close();
        LOG.infof("devstack stopped in %d ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
