package io.sweepfarm.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepfarm.common.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/grafana/sweepfarm.json queries only metrics the services register, and shows each of them. */
class GrafanaDashboardTest {

    private static final Pattern SERIES = Pattern.compile("\\bsweepfarm_[a-z0-9_]+");

    @Test
    void everyMetricTheDashboardQueriesIsOneTheServicesRegisterAndEachIsShown() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Project.read(Project.root()
                .resolve("deploy/grafana/sweepfarm.json")));
        assertThat(dashboard.path("title").asText()).isNotBlank();
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        dashboard.findValues("definition").forEach(e -> exprs.add(e.asText()));
        assertThat(exprs).hasSizeGreaterThan(5);

        Set<String> shown = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = SERIES.matcher(expr);
            while (m.find()) {
                String registered = MetricNames.registeredNameOf(m.group());
                assertThat(registered).as("%s in %s is a metric the services register", m.group(), expr)
                        .isNotNull();
                shown.add(registered);
            }
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(MetricNames.ALL);
    }

    @Test
    void seriesNamesMapToTheirRegisteredMetric() {
        assertThat(MetricNames.registeredNameOf("sweepfarm_relay_rounds_total")).isEqualTo(MetricNames.RELAY_ROUNDS);
        assertThat(MetricNames.registeredNameOf("sweepfarm_worker_step_time_seconds_bucket"))
                .isEqualTo(MetricNames.WORKER_STEP_TIME);
        assertThat(MetricNames.registeredNameOf("sweepfarm_sweeps")).isEqualTo(MetricNames.SWEEPS);
        assertThat(MetricNames.registeredNameOf("sweepfarm_sweeps_total_bogus")).isNull();
        assertThat(MetricNames.registeredNameOf("sweepfarm_relay")).isNull();
    }
}
