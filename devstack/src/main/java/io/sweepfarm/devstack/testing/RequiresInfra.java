package io.sweepfarm.devstack.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs real PostgreSQL, Kafka and S3. It runs against devstack by default; with
 * {@code -Dsweepfarm.infra=testcontainers} it runs against containers, and is skipped with a message where no Docker
 * engine is available.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InfraCondition.class)
public @interface RequiresInfra {
}
