package io.sweepfarm.devstack.testing;

import java.util.Locale;

/**
 * Which real infrastructure the integration tests run against, chosen by {@code -Dsweepfarm.infra=} or
 * {@code SWEEPFARM_INFRA}: {@code devstack} (default: embedded binaries, no Docker) or {@code testcontainers}
 * (PostgreSQL, Kafka and MinIO images through a Docker engine).
 */
public enum InfraMode {
    DEVSTACK,
    TESTCONTAINERS;

    public static InfraMode current() {
        String v = System.getProperty("sweepfarm.infra", System.getenv().getOrDefault("SWEEPFARM_INFRA", "devstack"));
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "testcontainers", "docker" -> TESTCONTAINERS;
            case "devstack", "" -> DEVSTACK;
            default -> throw new IllegalArgumentException(
                    "sweepfarm.infra=" + v + " is not known: use 'devstack' or 'testcontainers'");
        };
    }
}
