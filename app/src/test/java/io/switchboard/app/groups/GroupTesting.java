package io.switchboard.app.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.engine.shard.ShardWorker;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the group tests share: waiting for a number's connection, making groups, and reading answers. */
final class GroupTesting {
    static final String NUMBER = "+919800000001";

    private GroupTesting() {}

    /** A node on a store, its HTTP client, and a project (its token) whose number {@link #NUMBER} is connected. */
    record Club(Harness harness, Http http, String token) implements AutoCloseable {
        /** {@code number}: the fields of the number besides itself ({@code tps}, {@code delivery_reports}...). */
        static Club start(TestStores.Kind kind, Path tempDir, SimConfig network, Map<String, Object> number)
                throws Exception {
            Harness harness = new Harness(kind, tempDir, network);
            try {
                String token = harness.project("Clubs");
                Map<String, Object> body = new LinkedHashMap<>(number);
                body.put("number", NUMBER);
                harness.api.expect(201, "/v1/numbers", token, body);
                awaitConnected(harness, NUMBER);
                return new Club(harness, new Http(harness.node.httpPort()), token);
            } catch (Exception | AssertionError e) {
                harness.close();
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    /** Group operations go over the number's connection: waits until every shard of it is connected. */
    static void awaitConnected(Harness harness, String number) {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.node.engine().line(number)
                .map(line -> !line.shards().running().isEmpty()
                        && line.shards().running().stream().allMatch(ShardWorker::connected))
                .orElse(false));
    }

    /** The first {@code count} users of the simulated population, from {@code first} on. */
    static List<String> users(Harness harness, int first, int count) {
        return new ArrayList<>(harness.network.users().subList(first, first + count));
    }

    /** Makes a group of {@code members} on {@link #NUMBER}; its answer (201). */
    static JsonNode group(Http http, String token, String subject, List<String> members) throws Exception {
        Http.Answer made = http.call("POST", "/v1/groups", token, map("from", NUMBER, "subject", subject,
                "members", members));
        assertThat(made.status()).as("%s", made.body()).isEqualTo(201);
        return made.body();
    }

    /** Asserts an error answer: its status, code and field (null: no field). */
    static void expectError(Http.Answer answer, int status, String code, String field) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(status);
        JsonNode error = answer.body().path("error");
        assertThat(error.path("code").asText()).as("%s", answer.body()).isEqualTo(code);
        if (field == null) assertThat(error.has("field")).as("%s", answer.body()).isFalse();
        else assertThat(error.path("field").asText()).as("%s", answer.body()).isEqualTo(field);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** A map of the given key, value pairs, in order. */
    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }
}
