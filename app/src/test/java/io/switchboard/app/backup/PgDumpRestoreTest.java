package io.switchboard.app.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.bench.Commands;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's PostgreSQL backup: {@code pg_dump} of a node's schema, the schema lost, {@code psql} restoring the dump
 * into a fresh one, and a node started on it (with the same master key, which is not in the dump) serving the
 * messages it had.
 */
class PgDumpRestoreTest {
    private static final String NUMBER = "+919800000001";
    private static final int MESSAGES = 50;

    @TempDir Path tempDir;

    @Test
    void aNodeStartedOnARestoredPgDumpServesTheMessagesItHad() throws Exception {
        Assumptions.assumeTrue(Commands.available("pg_dump") && Commands.available("psql") || "true".equals(System.getenv("CI")),
                "pg_dump and psql are not on this machine");
        Path data = tempDir.resolve("first/data"); // the master key file, kept apart from the dump
        Path dump = tempDir.resolve("switchboard.sql");
        String url;
        String token;
        Map<String, String> bodies = new LinkedHashMap<>();
        try (Harness node = new Harness(TestStores.Kind.POSTGRESQL, tempDir.resolve("first"), SimConfig.defaults())) {
            url = node.store().url();
            token = node.project("dumped");
            node.number(token, NUMBER, 1_000);
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) batch.add(Harness.text(NUMBER, node.network.users().get(i), "dumped " + i));
            JsonNode accepted = node.api.expect(202, "/v1/messages", token, Map.of("messages", batch));
            for (int i = 0; i < MESSAGES; i++) bodies.put(accepted.path("messages").get(i).path("id").asText(), "dumped " + i);
            Commands.run("pg_dump", "--host", host(url), "--port", port(url), "--username", TestStores.POSTGRES_USER,
                    "--schema", schema(url), "--no-owner", "--no-privileges", "--file", dump.toString(), database(url));
        } // closing the harness drops the schema: the store is lost, only the dump is left
        assertThat(Files.readString(dump)).contains("CREATE SCHEMA " + schema(url));

        Commands.run("psql", "--host", host(url), "--port", port(url), "--username", TestStores.POSTGRES_USER,
                "--dbname", database(url), "--quiet", "--set", "ON_ERROR_STOP=1", "--file", dump.toString());
        try (Harness restored = new Harness(TestStores.Kind.POSTGRESQL, tempDir.resolve("second"), SimConfig.defaults(),
                Map.of("db.url", url, "data", data))) {
            for (Map.Entry<String, String> message : bodies.entrySet()) {
                ApiClient.Answer served = restored.api.get("/v1/messages/" + message.getKey(), token);
                assertThat(served.status()).as("GET %s: %s", message.getKey(), served.body()).isEqualTo(200);
                assertThat(served.body().path("text").path("body").asText()).isEqualTo(message.getValue());
            }
        } finally {
            try (Connection connection = DriverManager.getConnection(TestStores.POSTGRES_URL, TestStores.POSTGRES_USER, null);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema(url) + " CASCADE");
            }
        }
    }

    private static URI uri(String jdbcUrl) {
        return URI.create(jdbcUrl.substring("jdbc:".length()));
    }

    private static String host(String jdbcUrl) {
        return uri(jdbcUrl).getHost();
    }

    private static String port(String jdbcUrl) {
        return Integer.toString(uri(jdbcUrl).getPort());
    }

    private static String database(String jdbcUrl) {
        return uri(jdbcUrl).getPath().substring(1);
    }

    private static String schema(String jdbcUrl) {
        return uri(jdbcUrl).getQuery().replaceFirst("^.*currentSchema=([^&]+).*$", "$1");
    }
}
