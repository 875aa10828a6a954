package io.switchboard.app.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lists come a page at a time ({@code limit}, {@code after}): walked to the end, every item once, in order. */
class PaginationTest {
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void numbersTokensAndProjectsAreWalkedPageByPageWithoutLossOrRepeatAndABadLimitOrCursorIs400(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults())) {
            Http http = new Http(harness.node.httpPort());
            String token = harness.project("Shop");
            String other = harness.project("Other");
            harness.number(other, "+919800000050", 10); // another project's: never listed
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String number = "+9198000000" + (10 + i * 7);
                harness.number(token, number, 10);
                numbers.add(number);
            }
            List<String> tokens = new ArrayList<>(List.of(http.call("GET", "/v1/tokens", token, null).body()
                    .path("tokens").get(0).path("id").asText()));
            for (int i = 0; i < 4; i++) {
                tokens.add(http.call("POST", "/v1/tokens", token, Map.of("name", "t" + i, "scopes", List.of("read")))
                        .body().path("id").asText());
            }

            List<String> walkedNumbers = walk(http, token, "/v1/numbers", "numbers", "number", 3, () -> {});
            assertThat(walkedNumbers).containsExactlyInAnyOrderElementsOf(numbers).doesNotHaveDuplicates();
            assertThat(walk(http, token, "/v1/tokens", "tokens", "id", 2, () -> {}))
                    .containsExactlyInAnyOrderElementsOf(tokens).isSorted();
            // The node admin's list of projects (a project's first token has the project's id).
            assertThat(walk(http, harness.adminToken, "/v1/projects", "projects", "id", 1, () -> {}))
                    .containsExactlyInAnyOrder(tokens.getFirst(), http.call("GET", "/v1/project", other, null).body()
                            .path("id").asText()).isSorted();

            // A page is exactly full at the end: next is null only when nothing follows.
            assertThat(walk(http, token, "/v1/numbers", "numbers", "number", 7, () -> {})).hasSize(7);
            JsonNode whole = http.call("GET", "/v1/numbers?limit=7", token, null).body();
            assertThat(whole.path("next").isNull()).as(whole.toString()).isTrue();

            // A number added while the list is walked, after the cursor, is met once.
            List<String> added = new ArrayList<>();
            List<String> walkedWhileAdding = walk(http, token, "/v1/numbers", "numbers", "number", 2, () -> {
                if (added.isEmpty()) {
                    added.add("+919800000099");
                    harness.number(token, "+919800000099", 10);
                }
            });
            assertThat(walkedWhileAdding).containsExactlyInAnyOrderElementsOf(concat(numbers, added)).doesNotHaveDuplicates();

            for (String path : List.of("/v1/numbers", "/v1/tokens", "/v1/webhooks/failed", "/v1/projects")) {
                for (String query : List.of("limit=0", "limit=1001", "limit=ten", "limit=-5", "after=" + "x".repeat(65))) {
                    Http.Answer answer = http.call("GET", path + "?" + query,
                            path.equals("/v1/projects") ? harness.adminToken : token, null);
                    assertThat(answer.status()).as(path + "?" + query).isEqualTo(400);
                    assertThat(answer.body().path("error").path("field").asText()).isEqualTo(query.split("=")[0]);
                }
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Every item's key, page after page, doing {@code between} after each page. */
    private static List<String> walk(Http http, String token, String path, String list, String key, int limit, Step between)
            throws Exception {
        List<String> keys = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            String query = "?limit=" + limit + (after == null ? "" : "&after=" + java.net.URLEncoder.encode(after,
                    java.nio.charset.StandardCharsets.UTF_8));
            Http.Answer page = http.call("GET", path + query, token, null);
            assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
            assertThat(page.body().path(list).size()).isLessThanOrEqualTo(limit);
            page.body().path(list).forEach(item -> keys.add(item.path(key).asText()));
            if (page.body().path("next").isNull()) return keys;
            after = page.body().path("next").asText();
            between.run();
        }
        throw new AssertionError("the list did not end within 100 pages: " + keys);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
