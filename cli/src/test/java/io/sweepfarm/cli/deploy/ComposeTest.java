package io.sweepfarm.cli.deploy;

import static io.sweepfarm.cli.deploy.Project.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code compose.yaml}: valid for docker-compose, and our services get only settings they read. */
class ComposeTest {

    @Test
    void dockerComposeAcceptsTheFileAndEveryVariableOfOurServicesIsRead() {
        assumeTrue(Project.available("docker-compose"), "docker-compose not found on the PATH: compose.yaml is not "
                + "validated (apt-get install docker-compose; .ci/run installs it)");
        String resolved = Project.run("docker-compose", "-f", "compose.yaml", "config");
        checkServices(Project.yamlDocuments(resolved).get(0), "docker-compose config");
    }

    @Test
    void everyVariableTheFileGivesOurServicesIsOneTheyRead() {
        checkServices(Project.yamlDocuments(Project.read(Project.root().resolve("compose.yaml"))).get(0),
                "compose.yaml");
    }

    private static void checkServices(Map<String, Object> compose, String source) {
        Map<String, Map<String, Object>> services = at(compose, "services");
        int ours = 0;
        for (var entry : services.entrySet()) {
            String dockerfile = at(entry.getValue(), "build", "dockerfile");
            if (dockerfile == null) {
                continue; // a third-party image (PostgreSQL, Kafka, MinIO): its variables are its own
            }
            ours++;
            Dockerfile image = Dockerfile.read(dockerfile);
            ServiceConfig service = ServiceConfig.of(Dockerfile.module(image.last()));
            for (String name : envNames(entry.getValue().get("environment"))) {
                assertThat(service.reads(name)).as("%s: service %s sets %s, which %s does not read", source,
                        entry.getKey(), name, service).isTrue();
            }
        }
        assertThat(ours).as("services built from deploy/*.Dockerfile").isEqualTo(2);
    }

    /** Names of a compose {@code environment}, given as a map or as a list of {@code NAME=value}. */
    private static List<String> envNames(Object environment) {
        List<String> names = new ArrayList<>();
        if (environment instanceof Map<?, ?> map) {
            map.keySet().forEach(k -> names.add(k.toString()));
        } else if (environment instanceof List<?> list) {
            list.forEach(e -> names.add(e.toString().split("=", 2)[0]));
        }
        return names;
    }
}
