package io.switchboard.app.upstream;

import static io.switchboard.app.testing.Harness.text;
import static io.switchboard.app.upstream.CloudRig.ACCESS_TOKEN;
import static io.switchboard.app.upstream.CloudRig.APP_SECRET;
import static io.switchboard.app.upstream.CloudRig.NUMBER;
import static io.switchboard.app.upstream.CloudRig.PHONE_NUMBER_ID;
import static io.switchboard.app.upstream.CloudRig.VERIFY_TOKEN;
import static io.switchboard.app.upstream.CloudRig.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.LogCapture;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A number's upstream as set through the numbers API: checked field by field, its secrets sealed in the store and
 * never shown or logged, and switched at run time between the network and Meta's Cloud API.
 */
class CloudUpstreamSettingsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void badUpstreamSettingsAreRefusedAndSecretsAreSealedInTheStore(TestStores.Kind kind) throws Exception {
        try (CloudRig rig = CloudRig.start(kind, tempDir, 20, Map.of())) {
            Harness harness = rig.harness();
            Map<String, Object> good = CloudRig.upstream(rig.meta());
            refused(harness, rig.token(), with(good, "region", "eu"), 400, "upstream.region");
            refused(harness, rig.token(), with(good, "kind", "on-premises"), 400, "upstream.kind");
            refused(harness, rig.token(), with(good, "phone_number_id", "12ab"), 400, "upstream.phone_number_id");
            refused(harness, rig.token(), with(good, "base_url", "ftp://graph.example"), 400, "upstream.base_url");
            Map<String, Object> noToken = new HashMap<>(good);
            noToken.remove("access_token");
            refused(harness, rig.token(), noToken, 400, "upstream.access_token");
            refused(harness, rig.token(), good, 409, "upstream.phone_number_id"); // another number has it
            assertThat(harness.api.get("/v1/numbers", rig.token()).body().path("numbers")).as("nothing was added").hasSize(1);

            try (var connection = harness.storeConnection();
                 ResultSet row = connection.createStatement().executeQuery(
                         "SELECT access_token, app_secret, verify_token_hash FROM number_upstreams")) {
                assertThat(row.next()).isTrue();
                assertThat(new String(row.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(ACCESS_TOKEN);
                assertThat(new String(row.getBytes(2), StandardCharsets.ISO_8859_1)).doesNotContain(APP_SECRET);
                assertThat(row.getString(3)).doesNotContain(VERIFY_TOKEN).hasSize(64);
            }
        }
    }

    private static Map<String, Object> with(Map<String, Object> upstream, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(upstream);
        changed.put(field, value);
        return changed;
    }

    private static void refused(Harness harness, String token, Map<String, Object> upstream, int status, String field)
            throws Exception {
        ApiClient.Answer answer = harness.api.post("/v1/numbers", token,
                Map.of("number", "+15550002222", "tps", 20, "upstream", upstream));
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        assertThat(answer.body().path("error").path("field").asText()).as("%s", answer.body()).isEqualTo(field);
    }

    @Test
    void aPatchMovesANumberFromTheNetworkToMetaAndBack() throws Exception {
        try (Harness harness = new Harness(TestStores.Kind.EMBEDDED, tempDir, SimConfig.defaults());
             CloudApiStandIn meta = new CloudApiStandIn(PHONE_NUMBER_ID, ACCESS_TOKEN, APP_SECRET)) {
            String token = harness.project("Shop");
            harness.number(token, NUMBER, 100);
            List<String> users = harness.network.users().subList(0, 3);
            harness.api.expect(202, "/v1/messages", token, text(NUMBER, users.get(0), "over the network"));
            await().atMost(WAIT).until(() -> harness.network.stats().get(NUMBER, Counter.DELIVERED) == 1);

            ApiClient.Answer patched = harness.api.patch("/v1/numbers/" + NUMBER, token, Map.of("upstream", CloudRig.upstream(meta)));
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
            assertThat(patched.body().path("upstream").path("kind").asText()).isEqualTo("cloud");
            harness.api.expect(202, "/v1/messages", token, text(NUMBER, users.get(1), "through Meta"));
            await().atMost(WAIT).until(() -> meta.accepted().size() == 1);
            assertThat(meta.accepted().getFirst().to()).isEqualTo(users.get(1));

            java.util.Map<String, Object> back = new HashMap<>();
            back.put("upstream", null);
            patched = harness.api.patch("/v1/numbers/" + NUMBER, token, back);
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(200);
            assertThat(patched.body().has("upstream")).as("%s", patched.body()).isFalse();
            harness.api.expect(202, "/v1/messages", token, text(NUMBER, users.get(2), "over the network again"));
            await().atMost(WAIT).until(() -> harness.network.stats().get(NUMBER, Counter.DELIVERED) == 2);
            assertThat(meta.accepted()).hasSize(1);
        }
    }

    @Test
    void upstreamSecretsNeverAppearInTheLogs() throws Exception {
        String newToken = "EAAG-rotated-token-81d0e2";
        try (LogCapture log = LogCapture.text()) {
            try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of("upstream.retry-first-ms", 50))) {
                CloudApiStandIn meta = rig.meta();
                List<String> users = users(0, 4);
                meta.script(users.get(0), 131048);
                meta.script(users.get(1), 131056);
                meta.serverErrors(1);
                List<String> ids = rig.send(users, "hello");
                await().atMost(WAIT).until(() -> rig.status(ids.getFirst()).equals("failed"));
                meta.verify("wrong-" + VERIFY_TOKEN, "42");
                meta.verify(VERIFY_TOKEN, "42");
                byte[] body = meta.incoming("wamid.LOG", users.get(2), "Ravi", "hi");
                meta.send(body, "sha256=" + "1".repeat(64));
                meta.send(body);
                Map<String, Object> rotated = new HashMap<>(CloudRig.upstream(meta));
                rotated.put("access_token", newToken);
                assertThat(rig.harness().api.patch("/v1/numbers/" + NUMBER, rig.token(), Map.of("upstream", rotated))
                        .status()).isEqualTo(200);
                await().atMost(WAIT).until(() -> meta.accepted().size() >= 2);
            }
            String output = log.output();
            assertThat(output).as("the run was logged").contains("refused by Meta with code 131048").contains("now on Meta's Cloud API");
            for (String secret : List.of(ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, newToken)) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }
}
