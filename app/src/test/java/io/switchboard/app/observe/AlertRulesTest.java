package io.switchboard.app.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.switchboard.app.bench.Commands;
import io.switchboard.app.testing.PrometheusServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules pass {@code promtool check rules}, and {@code promtool test rules} proves that each one
 * fires on the series it is meant for, at the minute it should, and not on the healthy series beside them
 * (switchboard-alerts-test.yml). PrometheusTest has the real server evaluate them against a real node.
 */
class AlertRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir Path tempDir;

    @Test
    void theRulesPassPromtoolCheck() throws Exception {
        PrometheusServer.requireInstalled("promtool");
        String checked = Commands.run("promtool", "check", "rules", PrometheusTest.ALERTS.toString());
        assertThat(checked).contains("SUCCESS: 7 rules found");
    }

    @Test
    void eachAlertFiresOnItsSeriesInPromtoolsUnitTests() throws Exception {
        PrometheusServer.requireInstalled("promtool");
        Path tests = copyBesideRules(Files.readString(PrometheusTest.ALERTS));
        assertThat(Commands.run("promtool", "test", "rules", tests.toString())).contains("SUCCESS");

        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : YAML.readTree(PrometheusTest.ALERTS.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) alerts.add(rule.path("alert").asText());
        }
        Set<String> proven = new TreeSet<>();
        for (JsonNode test : YAML.readTree(tests.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) proven.add(check.path("alertname").asText());
            }
        }
        assertThat(alerts).hasSize(7).contains("SwitchboardNodeDown", "SwitchboardShardUnserved",
                "SwitchboardWebhookBacklogGrowing", "SwitchboardDeadLetters", "SwitchboardBudgetSaturated",
                "SwitchboardStoreWriteErrors", "SwitchboardDiskNearlyFull");
        assertThat(proven).as("every alert has a case where it fires").isEqualTo(alerts);
    }

    @Test
    void theUnitTestsFailOnRulesThatDoNotFire() throws Exception {
        PrometheusServer.requireInstalled("promtool");
        // The same tests against rules whose disk threshold is too low to be reached: promtool must say so.
        String broken = Files.readString(PrometheusTest.ALERTS).replace("< 0.10", "< 0.01");
        assertThat(broken).isNotEqualTo(Files.readString(PrometheusTest.ALERTS));
        Path tests = copyBesideRules(broken);
        assertThatThrownBy(() -> Commands.run("promtool", "test", "rules", tests.toString()))
                .hasMessageContaining("SwitchboardDiskNearlyFull");
    }

    /** The unit tests in the temporary folder, beside the rules they name (promtool reads them from there). */
    private Path copyBesideRules(String rules) throws Exception {
        Files.writeString(tempDir.resolve("switchboard-alerts.yml"), rules);
        Path tests = tempDir.resolve("switchboard-alerts-test.yml");
        try (InputStream in = AlertRulesTest.class.getResourceAsStream("switchboard-alerts-test.yml")) {
            Files.copy(in, tests);
        }
        return tests;
    }
}
