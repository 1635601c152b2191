package io.sweepfarm.devstack;

import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Real PostgreSQL, Kafka and S3 on loopback, without Docker: the infrastructure of the one-machine mode and of every
 * integration test. Close it to stop all three.
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
     * Starts the three servers with their data under {@code stateDir}.
     *
     * @param persistent keep data across restarts and keep fsync on (one-machine mode); otherwise start empty and
     *                   fast (tests)
     */
    public static Devstack start(Path stateDir, boolean persistent) {
        long t0 = System.nanoTime();
        PostgresServer pg = PostgresServer.start(stateDir.resolve("postgres"), Ports.free(), persistent, persistent);
        KafkaBroker kafka = null;
        try {
            kafka = KafkaBroker.start(stateDir.resolve("kafka"), Ports.free(), persistent);
            S3Server s3 = S3Server.start(stateDir.resolve("s3"), Ports.free());
            LOG.infof("devstack ready in %d ms", (System.nanoTime() - t0) / 1_000_000);
            return new Devstack(pg, kafka, s3);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            pg.close();
            throw e;
        }
    }

    public Endpoints endpoints() {
        return new Endpoints(postgres.jdbcUrl(), PostgresServer.USER, "postgres", kafka.bootstrapServers(),
                s3.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, BUCKET);
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
