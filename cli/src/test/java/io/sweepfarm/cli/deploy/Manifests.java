package io.sweepfarm.cli.deploy;

import static io.sweepfarm.cli.deploy.Project.at;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes objects as rendered YAML, with the look-ups the checks need. */
final class Manifests {

    private final List<Map<String, Object>> objects;

    Manifests(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** The data of every Secret, by Secret name ({@code stringData}). */
    Map<String, Map<String, Object>> secrets() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> s : ofKind("Secret")) {
            out.put(at(s, "metadata", "name"), at(s, "stringData"));
        }
        return out;
    }

    static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        List<Map<String, Object>> list = at(deployment, "spec", "template", "spec", "containers");
        return list == null ? List.of() : list;
    }

    /** A container's environment variable names: its own and those of the Secrets it takes whole. */
    static List<String> envNames(Map<String, Object> container, Map<String, Map<String, Object>> secrets) {
        List<String> names = new ArrayList<>();
        List<Map<String, Object>> env = at(container, "env");
        if (env != null) {
            env.forEach(e -> names.add((String) e.get("name")));
        }
        List<Map<String, Object>> envFrom = at(container, "envFrom");
        if (envFrom != null) {
            for (Map<String, Object> source : envFrom) {
                String secret = at(source, "secretRef", "name");
                if (secret == null) {
                    throw new AssertionError("container " + container.get("name") + " takes its environment from "
                            + "something other than a Secret; teach the deployment checks to read it");
                }
                Map<String, Object> data = secrets.get(secret);
                if (data == null) {
                    throw new AssertionError("container " + container.get("name") + " reads Secret " + secret
                            + ", which deploy/k8s/secrets-example.yaml does not describe");
                }
                names.addAll(data.keySet());
            }
        }
        return names;
    }

    /** The value of a plain environment variable of a container, or null. */
    static String envValue(Map<String, Object> container, String name) {
        List<Map<String, Object>> env = at(container, "env");
        return env == null ? null : env.stream().filter(e -> name.equals(e.get("name")))
                .map(e -> e.get("value") == null ? null : e.get("value").toString()).findFirst().orElse(null);
    }
}
