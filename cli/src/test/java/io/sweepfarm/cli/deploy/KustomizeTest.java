package io.sweepfarm.cli.deploy;

import static io.sweepfarm.cli.deploy.Project.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sweepfarm.common.messaging.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders {@code deploy/k8s/overlays/*} with {@code kubectl kustomize} and checks the wiring against the code: every
 * environment variable a container gets is one its service reads, probes hit the service's health endpoints on its
 * HTTP port, and each KEDA ScaledObject watches its workers' task topic and consumer group.
 */
class KustomizeTest {

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static final Map<String, ServiceConfig> SERVICES = new ConcurrentHashMap<>();
    private static final Manifests SECRETS = new Manifests(Project.yamlDocuments(Project.read(
            Project.root().resolve("deploy/k8s/secrets-example.yaml"))));

    @BeforeAll
    static void needsKubectl() {
        assumeTrue(Project.available("kubectl"), "kubectl not found on the PATH: the kustomize checks of deploy/k8s "
                + "are skipped (install kubectl, which bundles kustomize, to run them)");
    }

    private static Manifests render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> new Manifests(Project.yamlDocuments(
                Project.run("kubectl", "kustomize", "deploy/k8s/overlays/" + o))));
    }

    /** The service a container runs, from its image. */
    private static ServiceConfig serviceOf(Map<String, Object> container) {
        String image = (String) container.get("image");
        String module = image.startsWith("sweepfarm/coordinator") ? "coordinator"
                : image.startsWith("sweepfarm/worker") ? "gpu-worker" : null;
        assertThat(module).as("container %s runs image %s, which is no Sweepfarm service", container.get("name"),
                image).isNotNull();
        return SERVICES.computeIfAbsent(module, ServiceConfig::of);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu"})
    void everyContainerGetsOnlySettingsItsServiceReadsAndImagesArePinned(String overlay) {
        Manifests m = render(overlay);
        assertThat(m.ofKind("Deployment")).hasSizeGreaterThanOrEqualTo(2);
        for (Map<String, Object> deployment : m.ofKind("Deployment")) {
            for (Map<String, Object> container : Manifests.containers(deployment)) {
                ServiceConfig service = serviceOf(container);
                for (String name : Manifests.envNames(container, SECRETS.secrets())) {
                    assertThat(service.reads(name)).as("%s in %s (overlay %s) sets %s, which %s does not read",
                            container.get("name"), at(deployment, "metadata", "name"), overlay, name, service)
                            .isTrue();
                }
                assertThat((String) container.get("image")).as("image of %s", container.get("name"))
                        .matches("[^:]+:[\\w.-]+").doesNotEndWith(":latest");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu"})
    void probesHitTheServicesHealthEndpointsOnTheirHttpPort(String overlay) {
        for (Map<String, Object> deployment : render(overlay).ofKind("Deployment")) {
            for (Map<String, Object> container : Manifests.containers(deployment)) {
                ServiceConfig service = serviceOf(container);
                List<Map<String, Object>> ports = at(container, "ports");
                assertThat(ports).extracting(p -> p.get("containerPort")).contains(service.httpPort());
                assertThat(container).containsKeys("readinessProbe", "livenessProbe");
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    Map<String, Object> get = at(container, probe, "httpGet");
                    if (get == null) {
                        continue;
                    }
                    assertThat((String) get.get("path")).as("%s of %s", probe, container.get("name"))
                            .isIn(service.healthPaths());
                    Object port = get.get("port");
                    Object number = port instanceof Integer ? port : ports.stream()
                            .filter(p -> port.equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst()
                            .orElse(null);
                    assertThat(number).as("%s port %s of %s", probe, port, container.get("name"))
                            .isEqualTo(service.httpPort());
                }
                assertThat(at(container, "readinessProbe", "httpGet", "path").toString()).endsWith("/ready");
                assertThat(at(container, "livenessProbe", "httpGet", "path").toString()).endsWith("/live");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu"})
    void eachScaledObjectWatchesItsWorkersTaskTopicAndConsumerGroup(String overlay) {
        Manifests m = render(overlay);
        assertThat(m.ofKind("ScaledObject")).isNotEmpty();
        assertThat(ServiceConfig.sourcesContain("gpu-worker", "\"sweepfarm-workers.\" + "))
                .as("workers join the group sweepfarm-workers.<model>").isTrue();
        Map<String, Object> coordinator = Manifests.containers(m.named("Deployment", "sweepfarm-coordinator")).get(0);
        String partitions = Manifests.envValue(coordinator, "SWEEPFARM_COORDINATOR_TOPICS_TASK_PARTITIONS");
        int taskPartitions = partitions != null ? Integer.parseInt(partitions) : defaultTaskPartitions();
        for (Map<String, Object> scaled : m.ofKind("ScaledObject")) {
            Map<String, Object> workers = m.named("Deployment", at(scaled, "spec", "scaleTargetRef", "name"));
            Map<String, Object> worker = Manifests.containers(workers).get(0);
            String model = Manifests.envValue(worker, "SWEEPFARM_WORKER_MODEL");
            assertThat(model).as("the scaled Deployment names its model").isNotBlank();
            Map<String, Object> trigger = at(scaled, "spec", "triggers", 0);
            assertThat(trigger.get("type")).isEqualTo("kafka");
            Map<String, Object> kafka = at(trigger, "metadata");
            assertThat(kafka.get("topic")).isEqualTo(Topics.tasks(model));
            assertThat(kafka.get("consumerGroup")).isEqualTo("sweepfarm-workers." + model);
            assertThat(kafka.get("bootstrapServers")).as("the brokers the workers use")
                    .isEqualTo(SECRETS.secrets().get("sweepfarm-kafka").get("KAFKA_BOOTSTRAP_SERVERS"));
            assertThat((Integer) at(scaled, "spec", "maxReplicaCount")).as("pods beyond the task topic's "
                    + "partitions would idle").isLessThanOrEqualTo(taskPartitions);
        }
    }

    @Test
    void gpuWorkersGetOneGpuAndTheCudaImageWhileCpuWorkersGetNone() {
        for (String overlay : List.of("gpu", "cpu")) {
            for (Map<String, Object> d : render(overlay).ofKind("Deployment")) {
                Map<String, Object> c = Manifests.containers(d).get(0);
                if (!"gpu-worker".equals(serviceOf(c).toString())) {
                    continue;
                }
                Object gpus = at(c, "resources", "limits", "nvidia.com/gpu");
                String device = Manifests.envValue(c, "SWEEPFARM_WORKER_DEVICE");
                if (overlay.equals("gpu")) {
                    assertThat(gpus).isEqualTo(1);
                    assertThat(device).matches("cuda:\\d+");
                    assertThat((String) c.get("image")).startsWith("sweepfarm/worker:");
                } else {
                    assertThat(gpus).isNull();
                    assertThat(device).isEqualTo("cpu");
                    assertThat((String) c.get("image")).startsWith("sweepfarm/worker-cpu:");
                }
            }
        }
    }

    private static int defaultTaskPartitions() {
        String source = Project.read(Project.root().resolve(
                "coordinator/src/main/java/io/sweepfarm/coordinator/config/TopicsConfig.java"));
        Matcher m = Pattern.compile("@WithDefault\\(\"(\\d+)\"\\)\\s+int taskPartitions\\(\\)").matcher(source);
        assertThat(m.find()).as("TopicsConfig.taskPartitions default").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
