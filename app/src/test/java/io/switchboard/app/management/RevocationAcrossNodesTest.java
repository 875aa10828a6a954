package io.switchboard.app.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.Node;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes on one database: a token revoked through one is refused by the other within a second, although the
 * other had just served it (and so held it in its cache).
 */
class RevocationAcrossNodesTest {
    @TempDir Path tempDir;

    static Stream<TestStores.Kind> sharedStores() {
        return Stream.of(TestStores.Kind.POSTGRESQL, TestStores.Kind.MARIADB);
    }

    /** One request to the other node: when it started, after the revocation was answered (ms), and its status. */
    record Try(long startedAfterMs, int status) {}

    @ParameterizedTest
    @MethodSource("sharedStores")
    void aTokenRevokedOnOneNodeIsRefusedByTheOtherWithinASecond(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults());
             Node other = harness.anotherNode()) {
            Http first = new Http(harness.node.httpPort());
            Http second = new Http(other.httpPort());
            String admin = harness.project("Shop");
            JsonNode made = first.call("POST", "/v1/tokens", admin, Map.of("name", "leaked", "scopes", List.of("read"))).body();
            String token = made.path("token").asText();
            assertThat(second.call("GET", "/v1/project", token, null).status()).as("the other node knows the token")
                    .isEqualTo(200);

            assertThat(first.call("DELETE", "/v1/tokens/" + made.path("id").asText(), admin, null).status()).isEqualTo(204);
            long revoked = System.nanoTime();
            assertThat(first.call("GET", "/v1/project", token, null).status()).as("refused at once where revoked")
                    .isEqualTo(401);

            List<Try> tries = new ArrayList<>();
            while (elapsedMs(revoked) < 1_500) {
                long started = elapsedMs(revoked);
                tries.add(new Try(started, second.call("GET", "/v1/project", token, null).status()));
                Thread.sleep(20);
            }
            assertThat(tries).as("the other node's answers, by start after the revocation (ms)")
                    .filteredOn(t -> t.startedAfterMs() >= 1_000).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.status()).isEqualTo(401));
            assertThat(second.call("GET", "/v1/project", admin, null).status()).as("other tokens still work")
                    .isEqualTo(200);
        }
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
