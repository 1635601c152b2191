package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * What a YAML sweep may use beyond JSON's shapes: nothing. One pass over the YAML events before binding refuses, as a
 * 400, anchors and aliases (Jackson does not expand them — an alias would be read as its name — and expanded ones
 * are the "billion laughs" attack), explicit tags, and more than one document.
 */
final class YamlShape {

    private YamlShape() {
    }

    static void check(byte[] body) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        int documents = 0;
        try {
            for (Event e : new Yaml(options).parse(new InputStreamReader(new java.io.ByteArrayInputStream(body),
                    StandardCharsets.UTF_8))) {
                if (e instanceof DocumentStartEvent && ++documents > 1) {
                    throw new ProblemException.Malformed("body", "holds more than one YAML document; send exactly "
                            + "one");
                }
                if (e instanceof AliasEvent || (e instanceof CollectionStartEvent c && c.getAnchor() != null)
                        || (e instanceof ScalarEvent s && s.getAnchor() != null)) {
                    throw new ProblemException.Malformed("body", "uses YAML anchors or aliases (&, *), which are not "
                            + "accepted; write the values out");
                }
                if ((e instanceof CollectionStartEvent c && c.getTag() != null && !c.getImplicit())
                        || (e instanceof ScalarEvent s && s.getTag() != null && !s.getImplicit().canOmitTagInPlainScalar()
                        && !s.getImplicit().canOmitTagInNonPlainScalar())) {
                    throw new ProblemException.Malformed("body", "uses explicit YAML tags (!!), which are not "
                            + "accepted");
                }
            }
        } catch (YAMLException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ProblemException.Malformed("body", "not valid YAML: " + (m.length() > 200 ? m.substring(0, 200)
                    + "…" : m));
        }
    }
}
