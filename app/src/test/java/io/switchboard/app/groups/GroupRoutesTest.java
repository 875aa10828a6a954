package io.switchboard.app.groups;

import static io.switchboard.app.groups.GroupTesting.NUMBER;
import static io.switchboard.app.groups.GroupTesting.expectError;
import static io.switchboard.app.groups.GroupTesting.group;
import static io.switchboard.app.groups.GroupTesting.map;
import static io.switchboard.app.groups.GroupTesting.texts;
import static io.switchboard.app.groups.GroupTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.groups.GroupTesting.Club;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every group route over HTTP against the simulated network, which keeps the membership: each change shows in the
 * network's group and in the node's answer, GET reads the node's copy, and a refused change changes neither.
 */
class GroupRoutesTest {
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void everyRouteChangesTheNetworksGroupAndTheNodeShowsItsCopy(TestStores.Kind kind) throws Exception {
        try (Club club = Club.start(kind, tempDir, SimConfig.defaults().withReplyProbability(0), Map.of("tps", 100))) {
            Harness harness = club.harness();
            Http http = club.http();
            String token = club.token();
            List<String> u = users(harness, 0, 4);

            Http.Answer made = http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Launch crew",
                    "description", "Everyone on the launch", "members", List.of(u.get(0), u.get(1))));
            assertThat(made.status()).as("%s", made.body()).isEqualTo(201);
            String id = made.body().path("id").asText();
            assertThat(id).matches("[0-9]{14}@g\\.us");
            assertThat(made.body().path("from").asText()).isEqualTo(NUMBER);
            assertThat(made.body().path("subject").asText()).isEqualTo("Launch crew");
            assertThat(made.body().path("description").asText()).isEqualTo("Everyone on the launch");
            assertThat(texts(made.body().path("members"))).containsExactly(u.get(0), u.get(1));
            assertThat(made.body().path("admins")).isEmpty();
            assertThat(made.body().path("invite_link").isNull()).as("%s", made.body()).isTrue();
            assertThat(harness.network.groupMembers(NUMBER, id)).containsExactly(u.get(0), u.get(1));
            assertThat(http.call("GET", "/v1/groups/" + id, token, null).body()).isEqualTo(made.body());

            JsonNode renamed = ok(http.call("PATCH", "/v1/groups/" + id, token, map("subject", "Launch crew ✈")));
            assertThat(renamed.path("subject").asText()).isEqualTo("Launch crew ✈");
            assertThat(renamed.path("description").asText()).as("unchanged").isEqualTo("Everyone on the launch");
            JsonNode described = ok(http.call("PATCH", "/v1/groups/" + id, token, map("description", "")));
            assertThat(described.path("description").asText()).isEmpty();
            assertThat(described.path("subject").asText()).isEqualTo("Launch crew ✈");

            JsonNode grown = ok(http.call("POST", "/v1/groups/" + id + "/members", token, map("members", List.of(u.get(2)))));
            assertThat(texts(grown.path("members"))).containsExactly(u.get(0), u.get(1), u.get(2));
            assertThat(harness.network.groupMembers(NUMBER, id)).containsExactly(u.get(0), u.get(1), u.get(2));

            JsonNode withAdmin = ok(http.call("POST", "/v1/groups/" + id + "/admins", token, map("admins", List.of(u.get(1)))));
            assertThat(texts(withAdmin.path("admins"))).containsExactly(u.get(1));
            expectError(http.call("POST", "/v1/groups/" + id + "/admins", token, map("admins", List.of(u.get(3)))), 400,
                    "not_a_member", "admins");
            expectError(http.call("DELETE", "/v1/groups/" + id + "/members", token, map("members", List.of(u.get(3)))),
                    400, "not_a_member", "members");
            JsonNode noAdmin = ok(http.call("DELETE", "/v1/groups/" + id + "/admins", token, map("admins", List.of(u.get(1)))));
            assertThat(noAdmin.path("admins")).isEmpty();
            expectError(http.call("DELETE", "/v1/groups/" + id + "/admins", token, map("admins", List.of(u.get(1)))), 400,
                    "not_an_admin", "admins");

            JsonNode shrunk = ok(http.call("DELETE", "/v1/groups/" + id + "/members", token, map("members", List.of(u.get(0)))));
            assertThat(texts(shrunk.path("members"))).containsExactly(u.get(1), u.get(2));
            assertThat(harness.network.groupMembers(NUMBER, id)).containsExactly(u.get(1), u.get(2));

            String link = ok(http.call("POST", "/v1/groups/" + id + "/invite", token, null)).path("invite_link").asText();
            assertThat(link).matches("https://chat\\.whatsapp\\.com/[A-Za-z0-9]{22}");
            String newLink = ok(http.call("POST", "/v1/groups/" + id + "/invite", token, null)).path("invite_link").asText();
            assertThat(newLink).as("a new link replaces the old").isNotEqualTo(link).startsWith("https://chat.whatsapp.com/");
            assertThat(http.call("GET", "/v1/groups/" + id, token, null).body().path("invite_link").asText()).isEqualTo(newLink);
            JsonNode revoked = ok(http.call("DELETE", "/v1/groups/" + id + "/invite", token, null));
            assertThat(revoked.path("invite_link").isNull()).as("%s", revoked).isTrue();

            String second = group(http, token, "Second", List.of(u.get(3))).path("id").asText();
            JsonNode all = ok(http.call("GET", "/v1/groups", token, null));
            assertThat(all.path("groups").findValuesAsText("id")).containsExactlyInAnyOrder(id, second);
            assertThat(all.path("next").isNull()).isTrue();
            JsonNode first = ok(http.call("GET", "/v1/groups?limit=1", token, null));
            assertThat(first.path("groups")).hasSize(1);
            JsonNode rest = ok(http.call("GET", "/v1/groups?limit=1&after=" + first.path("next").asText(), token, null));
            assertThat(List.of(first.path("groups").get(0).path("id").asText(), rest.path("groups").get(0).path("id").asText()))
                    .containsExactlyInAnyOrder(id, second);
            assertThat(rest.path("next").isNull()).isTrue();

            Http.Answer left = http.call("DELETE", "/v1/groups/" + id, token, null);
            assertThat(left.status()).as("%s", left.body()).isEqualTo(204);
            expectError(http.call("GET", "/v1/groups/" + id, token, null), 404, "not_found", null);
            expectError(http.call("DELETE", "/v1/groups/" + id, token, null), 404, "not_found", null);
            assertThat(harness.network.groupMembers(NUMBER, id)).as("gone from the network").isEmpty();
            expectError(http.call("POST", "/v1/messages", token, Harness.text(NUMBER, id, "anyone?")), 400,
                    "unknown_group", "to");
            assertThat(ok(http.call("GET", "/v1/groups", token, null)).path("groups").findValuesAsText("id"))
                    .containsExactly(second);

            // Reading groups takes the read scope; changing them, admin.
            String reader = http.call("POST", "/v1/tokens", token, map("name", "reader", "scopes", List.of("read", "send")))
                    .body().path("token").asText();
            assertThat(ok(http.call("GET", "/v1/groups/" + second, reader, null)).path("id").asText()).isEqualTo(second);
            expectError(http.call("POST", "/v1/groups/" + second + "/members", reader, map("members", List.of(u.get(0)))),
                    403, "insufficient_scope", null);
            expectError(http.call("POST", "/v1/groups", reader, map("from", NUMBER, "subject", "x", "members", List.of())),
                    403, "insufficient_scope", null);
            assertThat(http.call("POST", "/v1/messages", reader, Harness.text(NUMBER, second, "hi")).status())
                    .as("sending to a group takes send").isEqualTo(202);
        }
    }

    private static JsonNode ok(Http.Answer answer) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        return answer.body();
    }
}
