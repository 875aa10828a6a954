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
 * A group's limits from both sides: 256 members (when made, and when added to, which the network refuses), a
 * subject of 128 characters and a description of 2,048 (Meta's Groups API), counted as a person counts them. A
 * refused request is a 400 naming the field, and changes nothing at the network or in the node's copy.
 */
class GroupLimitsTest {
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void everyLimitHoldsOnBothSidesAndARefusalChangesNothing(TestStores.Kind kind) throws Exception {
        try (Club club = Club.start(kind, tempDir, SimConfig.defaults().withReplyProbability(0), Map.of("tps", 100))) {
            Harness harness = club.harness();
            Http http = club.http();
            String token = club.token();
            List<String> many = users(harness, 0, 257);

            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Too many",
                    "members", many)), 400, "too_many", "members");
            JsonNode full = group(http, token, "Full", many.subList(0, 256));
            String fullId = full.path("id").asText();
            assertThat(full.path("members")).hasSize(256);
            expectError(http.call("POST", "/v1/groups/" + fullId + "/members", token, map("members", List.of(many.get(256)))),
                    400, "too_many_members", "members");
            assertThat(harness.network.groupMembers(NUMBER, fullId)).as("the network refused it").hasSize(256);
            assertThat(http.call("GET", "/v1/groups/" + fullId, token, null).body().path("members")).hasSize(256);

            String almostId = group(http, token, "Almost", many.subList(0, 255)).path("id").asText();
            Http.Answer filled = http.call("POST", "/v1/groups/" + almostId + "/members", token,
                    map("members", List.of(many.get(256))));
            assertThat(filled.status()).as("%s", filled.body()).isEqualTo(200);
            assertThat(filled.body().path("members")).hasSize(256);
            assertThat(harness.network.groupMembers(NUMBER, almostId)).hasSize(256).contains(many.get(256));

            String subject128 = "é".repeat(127) + "🚀";
            JsonNode longest = group(http, token, subject128, List.of());
            assertThat(longest.path("subject").asText()).isEqualTo(subject128);
            assertThat(longest.path("members")).isEmpty();
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", subject128 + "x",
                    "members", List.of())), 400, "too_long", "subject");
            String path = "/v1/groups/" + longest.path("id").asText();
            expectError(http.call("PATCH", path, token, map("subject", subject128 + "x")), 400, "too_long", "subject");
            assertThat(http.call("PATCH", path, token, map("description", "d".repeat(2_048))).body()
                    .path("description").asText()).hasSize(2_048);
            expectError(http.call("PATCH", path, token, map("description", "d".repeat(2_049))), 400, "too_long",
                    "description");

            // Other bad input: 400 naming the field, and nothing made or changed.
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "members", List.of())), 400,
                    "missing_field", "subject");
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", " ", "members", List.of())),
                    400, "empty_field", "subject");
            expectError(http.call("POST", "/v1/groups", token, map("from", "+919899999999", "subject", "Not mine",
                    "members", List.of())), 400, "unknown_number", "from");
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Bad",
                    "members", List.of(many.get(0), "12345"))), 400, "invalid_user", "members[1]");
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Twice",
                    "members", List.of(many.get(0), many.get(0)))), 400, "duplicate", "members[1]");
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Shape",
                    "members", "everyone")), 400, "invalid_type", "members");
            expectError(http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", "Extra",
                    "members", List.of(), "colour", "blue")), 400, "unknown_field", "colour");
            expectError(http.call("POST", "/v1/groups", token, "{\"from\":"), 400, "invalid_json", null);
            expectError(http.call("POST", path + "/members", token, map("members", List.of())), 400, "too_few", "members");
            expectError(http.call("POST", path + "/members", token, map("members", many)), 400, "too_many", "members");
            expectError(http.call("PATCH", path, token, map()), 400, "missing_field", "subject");
            expectError(http.call("GET", "/v1/groups?limit=0", token, null), 400, "out_of_range", "limit");
            expectError(http.call("GET", "/v1/groups?limit=1001", token, null), 400, "out_of_range", "limit");

            assertThat(http.call("GET", "/v1/groups", token, null).body().path("groups").findValuesAsText("subject"))
                    .as("only the groups made above").containsExactlyInAnyOrder("Full", "Almost", subject128);
            assertThat(texts(http.call("GET", path, token, null).body().path("members"))).isEmpty();
        }
    }
}
