package io.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard admin} run in-process against a real node: what it makes the node has (read back over the API
 * and the command's own lists), its tables and {@code --json}, and the node's refusals shown as the API gave them,
 * with exit code 2 and never the token.
 */
class AdminCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tempDir;
    static Harness harness;
    static String url;

    /** What one run printed, and its exit code. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        /** The table's rows, each split into its cells. */
        List<List<String>> rows() {
            List<List<String>> rows = new ArrayList<>();
            for (String line : out.strip().split("\n")) rows.add(List.of(line.strip().split(" {2,}")));
            return rows;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
        url = "http://127.0.0.1:" + harness.node.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    @Test
    void theAdminMakesAndListsProjectsAsATableOrJson() throws Exception {
        Run made = admin(harness.adminToken, "projects", "create", "--name", "Shop", "--events-enabled", "false",
                "--webhook-rate", "50", "--retention-days", "7");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.rows()).contains(List.of("name", "Shop"), List.of("events_enabled", "false"),
                List.of("webhook_rate", "50"), List.of("retention_days", "7"));
        String id = cell(made, "id");
        String token = cell(made, "token");
        assertThat(token).startsWith("sb_");
        assertThat(made.out()).contains("shown this once");
        assertThat(harness.api.get("/v1/project", token).body().path("name").asText()).isEqualTo("Shop");

        JsonNode second = admin(harness.adminToken, "projects", "create", "--name", "Other", "--json").json();
        assertThat(second.path("token").asText()).startsWith("sb_");

        Run table = admin(harness.adminToken, "projects", "list");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.rows().getFirst()).containsExactly("ID", "NAME", "WEBHOOK_URL", "EVENT_WEBHOOK_URL", "EVENTS", "FORMAT");
        assertThat(table.rows()).contains(List.of(id, "Shop", "-", "-", "false", "native"));
        JsonNode listed = admin(harness.adminToken, "projects", "list", "--json").json().path("projects");
        assertThat(listed.findValuesAsText("id")).contains(id, second.path("id").asText());
        assertThat(listed.toString()).as("no token or secret in a list").doesNotContain(token, "whsec_");
    }

    @Test
    void aProjectMakesListsAndRevokesItsTokens() throws Exception {
        String project = harness.project("Tokens");
        JsonNode made = admin(project, "tokens", "create", "--name", "reporting", "--scopes", "read,send", "--json").json();
        assertThat(made.path("scopes").toString()).isEqualTo("[\"send\",\"read\"]");
        assertThat(made.path("token").asText()).startsWith("sb_");
        assertThat(harness.api.get("/v1/project", made.path("token").asText()).status()).isEqualTo(200);

        Run table = admin(project, "tokens", "list");
        assertThat(table.rows().getFirst()).containsExactly("ID", "NAME", "SCOPES", "CREATED", "LAST_USED");
        assertThat(table.rows()).anySatisfy(row -> assertThat(row).startsWith(made.path("id").asText(), "reporting", "send,read"));

        Run revoked = admin(project, "tokens", "delete", made.path("id").asText());
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out().strip()).isEqualTo("token " + made.path("id").asText() + " revoked");
        assertThat(harness.api.get("/v1/project", made.path("token").asText()).status()).isEqualTo(401);
        assertThat(admin(project, "tokens", "list", "--json").json().path("tokens").findValuesAsText("id"))
                .doesNotContain(made.path("id").asText()).hasSize(1);
    }

    @Test
    void aProjectAddsAndListsItsNumbers() throws Exception {
        String project = harness.project("Numbers");
        Run made = admin(project, "numbers", "create", "--number", "+919800000077", "--tps", "30", "--shards", "2",
                "--delivery-reports", "false");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(made.rows()).contains(List.of("number", "+919800000077"), List.of("tps", "30"), List.of("shards", "2"),
                List.of("delivery_reports", "false"));

        Run table = admin(project, "numbers", "list");
        assertThat(table.rows().getFirst())
                .containsExactly("NUMBER", "TPS", "SHARDS", "DELIVERY_REPORTS", "UPSTREAM", "QUEUED");
        assertThat(table.rows()).contains(List.of("+919800000077", "30", "2", "false", "network", "0"));
        JsonNode listed = admin(project, "numbers", "list", "--json").json().path("numbers");
        assertThat(listed.findValuesAsText("number")).containsExactly("+919800000077");
        assertThat(harness.api.get("/v1/numbers", harness.project("Someone else")).body().path("numbers").size()).isZero();
    }

    @Test
    void deletedNumbersAndProjectsLeaveTheListsAndTheirTokensStopWorking() throws Exception {
        JsonNode project = admin(harness.adminToken, "projects", "create", "--name", "Doomed", "--json").json();
        String id = project.path("id").asText();
        String token = project.path("token").asText();
        assertThat(admin(token, "numbers", "create", "--number", "+919800000088").exit()).isZero();
        assertThat(admin(token, "numbers", "create", "--number", "+919800000089").exit()).isZero();

        Run deleted = admin(token, "numbers", "delete", "+919800000088");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out().strip()).isEqualTo("number +919800000088 deleted");
        assertThat(admin(token, "numbers", "list", "--json").json().path("numbers").findValuesAsText("number"))
                .containsExactly("+919800000089");
        Run again = admin(token, "numbers", "delete", "+919800000088");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("404 not_found");

        Run gone = admin(harness.adminToken, "projects", "delete", id, "--json");
        assertThat(gone.exit()).as(gone.err()).isZero();
        assertThat(gone.json().isEmpty()).as(gone.out()).isTrue();
        assertThat(admin(harness.adminToken, "projects", "list", "--json").json().path("projects").findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(harness.api.get("/v1/numbers", token).status()).isEqualTo(401);
    }

    @Test
    void aRefusalShowsTheApisCodeMessageAndFieldAndExitsWithTwo() throws Exception {
        String wrong = "sb_not-a-token-of-this-node";
        Run unauthorized = admin(wrong, "tokens", "list");
        assertThat(unauthorized.exit()).isEqualTo(2);
        assertThat(unauthorized.out()).isEmpty();
        assertThat(unauthorized.err()).startsWith("switchboard admin tokens list: 401 unauthorized: ").doesNotContain(wrong);

        String project = harness.project("Refusals");
        Run badScope = admin(project, "tokens", "create", "--name", "x", "--scopes", "read,everything");
        assertThat(badScope.exit()).isEqualTo(2);
        assertThat(badScope.err().strip()).isEqualTo("switchboard admin tokens create: 400 invalid_scope: "
                + "scopes[1] must be send, read or admin (field scopes[1])").doesNotContain(project);
        assertThat(admin(project, "tokens", "list", "--json").json().path("tokens").size()).as("nothing made").isEqualTo(1);

        Run notAdmin = admin(project, "projects", "list");
        assertThat(notAdmin.exit()).isEqualTo(2);
        assertThat(notAdmin.err()).contains("401 unauthorized");

        Run taken = admin(project, "numbers", "create", "--number", "not-a-number");
        assertThat(taken.err()).contains("400 invalid_number").contains("(field number)");
    }

    @Test
    void withoutATokenOrANodeItSaysSoAndExitsWithTwo() throws Exception {
        Run noToken = run("admin", "numbers", "list", "--url", url);
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("no token: give --token TOKEN or set SWITCHBOARD_TOKEN");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run noNode = run("admin", "numbers", "list", "--url", "http://127.0.0.1:" + closed, "--token", "sb_secret");
        assertThat(noNode.exit()).isEqualTo(2);
        assertThat(noNode.err()).contains("cannot reach the node at http://127.0.0.1:" + closed).doesNotContain("sb_secret");

        Run notAUrl = run("admin", "numbers", "list", "--url", "127.0.0.1:" + closed, "--token", "sb_secret");
        assertThat(notAUrl.exit()).isEqualTo(2);
        assertThat(notAUrl.err()).contains("--url must be the node's http or https address");
    }

    /** {@code switchboard admin ARGS --url <the node> --token TOKEN}. */
    private static Run admin(String token, String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", url, "--token", token));
        return run(all.toArray(String[]::new));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The value of a field in the table of one object. */
    private static String cell(Run run, String field) {
        return run.rows().stream().filter(row -> row.getFirst().equals(field)).findFirst()
                .map(row -> row.get(1)).orElseThrow(() -> new AssertionError("no " + field + " in " + run.out()));
    }
}
