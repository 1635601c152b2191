package io.sweepfarm.devstack.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips {@link RequiresInfra} tests when the chosen infrastructure cannot start on this machine. */
public class InfraCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (InfraMode.current() == InfraMode.TESTCONTAINERS && !TestcontainersInfra.dockerAvailable()) {
            return ConditionEvaluationResult.disabled("sweepfarm.infra=testcontainers but no Docker engine is "
                    + "available here; run without it to use devstack's embedded PostgreSQL, Kafka and S3");
        }
        return ConditionEvaluationResult.enabled("infrastructure: " + InfraMode.current());
    }
}
