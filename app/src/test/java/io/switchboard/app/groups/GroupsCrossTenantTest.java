package io.switchboard.app.groups;

import static io.switchboard.app.groups.GroupTesting.NUMBER;
import static io.switchboard.app.groups.GroupTesting.awaitConnected;
import static io.switchboard.app.groups.GroupTesting.group;
import static io.switchboard.app.groups.GroupTesting.map;
import static io.switchboard.app.groups.GroupTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.Counter;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Project B's token, with every scope, against every group route naming project A's group: not found, exactly as
 * for a group that does not exist, and nothing changes at the network or in A's copy; B cannot send to it either.
 */
class GroupsCrossTenantTest {
    private static final String B_NUMBER = "+919800000002";
    private static final String NO_GROUP = "12036399999999@g.us";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void projectBNeitherSeesNorChangesNorSendsToProjectAsGroups(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0))) {
            Http http = new Http(harness.node.httpPort());
            String a = harness.project("A");
            harness.number(a, NUMBER, 100);
            String b = harness.project("B");
            harness.number(b, B_NUMBER, 100);
            awaitConnected(harness, NUMBER);
            awaitConnected(harness, B_NUMBER);
            List<String> u = users(harness, 0, 3);
            JsonNode made = group(http, a, "A's secret club", List.of(u.get(0), u.get(1)));
            String id = made.path("id").asText();
            http.call("POST", "/v1/groups/" + id + "/admins", a, map("admins", List.of(u.get(0))));
            JsonNode before = http.call("GET", "/v1/groups/" + id, a, null).body();

            record Call(String method, String suffix, Object body) {}
            List<Call> calls = List.of(new Call("GET", "", null), new Call("PATCH", "", map("subject", "B was here")),
                    new Call("POST", "/members", map("members", List.of(u.get(2)))),
                    new Call("DELETE", "/members", map("members", List.of(u.get(1)))),
                    new Call("POST", "/admins", map("admins", List.of(u.get(1)))),
                    new Call("DELETE", "/admins", map("admins", List.of(u.get(0)))),
                    new Call("POST", "/invite", null), new Call("DELETE", "/invite", null), new Call("DELETE", "", null));
            for (Call call : calls) {
                Http.Answer theirs = http.call(call.method(), "/v1/groups/" + id + call.suffix(), b, call.body());
                Http.Answer none = http.call(call.method(), "/v1/groups/" + NO_GROUP + call.suffix(), b, call.body());
                assertThat(List.of(theirs.status(), theirs.code())).as("%s %s: %s", call.method(), call.suffix(), theirs.body())
                        .isEqualTo(List.of(404, "not_found")).isEqualTo(List.of(none.status(), none.code()));
                assertThat(theirs.body().toString()).doesNotContain("secret");
            }
            assertThat(http.call("GET", "/v1/groups", b, null).body().path("groups")).isEmpty();

            Http.Answer send = http.call("POST", "/v1/messages", b, Harness.text(B_NUMBER, id, "hello A's club"));
            Http.Answer sendNone = http.call("POST", "/v1/messages", b, Harness.text(B_NUMBER, NO_GROUP, "hello"));
            assertThat(List.of(send.status(), send.code(), send.body().path("error").path("field").asText()))
                    .isEqualTo(List.of(400, "unknown_group", "to"))
                    .isEqualTo(List.of(sendNone.status(), sendNone.code(), sendNone.body().path("error").path("field").asText()));
            Http.Answer asA = http.call("POST", "/v1/messages", b, Harness.text(NUMBER, id, "as A"));
            assertThat(asA.code()).as("%s", asA.body()).isEqualTo("unknown_number");
            Http.Answer makeAsA = http.call("POST", "/v1/groups", b, map("from", NUMBER, "subject", "as A",
                    "members", List.of()));
            assertThat(makeAsA.code()).as("%s", makeAsA.body()).isEqualTo("unknown_number");

            assertThat(http.call("GET", "/v1/groups/" + id, a, null).body()).as("A's group unchanged").isEqualTo(before);
            assertThat(harness.network.groupMembers(NUMBER, id)).containsExactly(u.get(0), u.get(1));
            assertThat(http.call("GET", "/v1/groups", a, null).body().path("groups")).hasSize(1);
            assertThat(harness.network.stats().get(NUMBER, Counter.RECEIVED)).as("nothing was sent").isZero();
        }
    }
}
