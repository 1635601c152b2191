package io.sweepfarm.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Dockerfiles: their bases, and what they copy, expose and set matches the services they package. */
class ContainerImagesTest {

    private static final Dockerfile WORKER = Dockerfile.read("deploy/worker.Dockerfile");
    private static final Dockerfile COORDINATOR = Dockerfile.read("deploy/coordinator.Dockerfile");

    @Test
    void theDefaultWorkerImageIsOnTheCuda12AndCudnn9RuntimeAndTheCpuStageOnAJre() {
        // nvidia/cuda tags name cuDNN without a version from CUDA 12.4 on, where they carry cuDNN 9.
        assertThat(WORKER.last().base()).matches("nvidia/cuda:12\\.([4-9]|\\d\\d)(\\.\\d+)?-cudnn-runtime-\\S+");
        assertThat(WORKER.last().env()).containsEntry("SWEEPFARM_WORKER_DEVICE", "cuda:0")
                .containsKey("JAVA_HOME");
        assertThat(WORKER.stage("cpu").base()).matches("eclipse-temurin:\\d+-jre(-\\w+)?");
        assertThat(WORKER.stage("cpu").env()).containsEntry("SWEEPFARM_WORKER_DEVICE", "cpu");
    }

    @Test
    void theCoordinatorImageIsOnAJre() {
        assertThat(COORDINATOR.last().base()).matches("eclipse-temurin:\\d+-jre(-\\w+)?");
    }

    @Test
    void everyImageRunsItsServicesQuarkusBuildAsANonRootUserOnItsPort() {
        for (Dockerfile file : List.of(WORKER, COORDINATOR)) {
            for (Dockerfile.Stage stage : file.stages()) {
                String module = Dockerfile.module(stage);
                assertThat(Files.isRegularFile(Project.root().resolve(module).resolve("pom.xml")))
                        .as("%s copies the build of module %s", file.file(), module).isTrue();
                ServiceConfig service = ServiceConfig.of(module);
                assertThat(stage.copied()).as("the fast-jar layout of %s", module).contains(
                        module + "/target/quarkus-app/lib/", module + "/target/quarkus-app/app/",
                        module + "/target/quarkus-app/quarkus/");
                assertThat(stage.exposed()).containsExactly(service.httpPort());
                assertThat(stage.user()).isNotNull().isNotIn("0", "root");
                assertThat(stage.entrypoint()).contains("/app/quarkus-run.jar");
                stage.env().keySet().stream().filter(n -> n.startsWith("SWEEPFARM_") || n.startsWith("KAFKA_")
                        || n.startsWith("QUARKUS_")).forEach(n -> assertThat(service.reads(n))
                        .as("%s stage %s sets %s, which %s does not read", file.file(), stage.name(), n, service)
                        .isTrue());
            }
        }
    }
}
