package io.switchboard.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.app.Node;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Media uploaded over HTTP is given back byte for byte to its own project only, stored sealed (no chunk in the
 * store holds the plaintext), deleted on request, and gone once past its 30 days; on each of the three stores. In a
 * cluster every node serves what any node took in.
 */
class MediaStorageTest {
    static final String NUMBER = "+919800000001";
    static final String OTHER_NUMBER = "+919800000002";

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void uploadedMediaComesBackWholeToItsProjectOnlyAndIsSealedAtRest(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults())) {
            String a = harness.project("A");
            String b = harness.project("B");
            harness.number(a, NUMBER, 50);
            harness.number(b, OTHER_NUMBER, 50);
            Uploads http = new Uploads(harness.node.httpPort());
            // Three chunks and a bit: the chunking and its order are exercised.
            byte[] pdf = Uploads.file(3 * 1_048_576 + 12_345, "%PDF-1.7\n".getBytes());

            Uploads.Answer created = http.upload(a, pdf, "application/pdf", "invoice.pdf",
                    Uploads.fields("messaging_product", "whatsapp", "number", NUMBER));
            assertThat(created.status()).as(new String(created.bytes())).isEqualTo(201);
            String id = created.json().path("id").asText();
            assertThat(id).matches("[0-9A-Z]{13}");

            Uploads.Answer got = http.get(a, id);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.contentType()).isEqualTo("application/pdf");
            assertThat(Uploads.sha256(got.bytes())).as("the same bytes").isEqualTo(Uploads.sha256(pdf));

            try (Connection store = harness.storeConnection()) {
                assertThat(count(store, "SELECT COUNT(*) FROM media_chunks WHERE media_id = " + Ids.parse(id))).isEqualTo(4);
                try (Statement s = store.createStatement();
                     ResultSet rows = s.executeQuery("SELECT data FROM media_chunks WHERE media_id = " + Ids.parse(id))) {
                    while (rows.next()) {
                        byte[] stored = rows.getBytes(1);
                        assertThat(indexOf(stored, Arrays.copyOfRange(pdf, 100_000, 100_064))).as("plaintext at rest").isLessThan(0);
                        assertThat(indexOf(stored, "%PDF".getBytes())).as("plaintext at rest").isLessThan(0);
                    }
                }
            }

            // Project B can neither read, delete nor send A's media; it reads as missing, like an unknown id.
            assertThat(http.get(b, id).status()).isEqualTo(404);
            assertThat(http.get(b, id).code()).isEqualTo("not_found");
            assertThat(http.delete(b, id).status()).isEqualTo(404);
            var sent = harness.api.post("/v1/messages", b, Map.of("from", OTHER_NUMBER, "to", "+15550001000",
                    "type", "document", "document", Map.of("id", id)));
            assertThat(sent.status()).isEqualTo(400);
            assertThat(sent.body().path("error").path("field").asText()).isEqualTo("document.id");
            assertThat(http.get(a, id).status()).as("still A's").isEqualTo(200);
            // Nor upload for A's number.
            Uploads.Answer foreign = http.upload(b, NUMBER, Uploads.file(10, new byte[] {(byte) 0xFF, (byte) 0xD8}), "image/jpeg");
            assertThat(foreign.status()).isEqualTo(400);
            assertThat(foreign.field()).isEqualTo("number");

            assertThat(http.delete(a, id).status()).isEqualTo(204);
            assertThat(http.get(a, id).status()).isEqualTo(404);
            assertThat(http.delete(a, id).status()).isEqualTo(404);
            try (Connection store = harness.storeConnection()) {
                assertThat(count(store, "SELECT COUNT(*) FROM media_chunks WHERE media_id = " + Ids.parse(id))).isZero();
            }
            assertThat(http.get(a, "NOTANID").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void mediaPastItsThirtyDaysIsGoneAndSweptWithItsChunks(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults())) {
            String token = harness.project("A");
            harness.number(token, NUMBER, 50);
            Uploads http = new Uploads(harness.node.httpPort());
            String old = http.uploaded(token, NUMBER, Uploads.file(2_000, new byte[] {(byte) 0x89, 'P', 'N', 'G'}), "image/png");
            String fresh = http.uploaded(token, NUMBER, Uploads.file(3_000), "image/jpeg");
            long oldId = Ids.parse(old);
            try (Connection store = harness.storeConnection()) {
                long expires = count(store, "SELECT expires_at FROM media WHERE id = " + oldId);
                long created = count(store, "SELECT created_at FROM media WHERE id = " + oldId);
                assertThat(expires - created).as("kept 30 days").isEqualTo(30L * 24 * 3_600 * 1_000);
                // Thirty days pass for this file.
                store.createStatement().executeUpdate("UPDATE media SET expires_at = " + (System.currentTimeMillis() - 1)
                        + " WHERE id = " + oldId);
            }
            assertThat(http.get(token, old).status()).as("expired, not yet swept").isEqualTo(404);

            assertThat(harness.node.media().sweep()).isEqualTo(1);

            try (Connection store = harness.storeConnection()) {
                assertThat(count(store, "SELECT COUNT(*) FROM media WHERE id = " + oldId)).isZero();
                assertThat(count(store, "SELECT COUNT(*) FROM media_chunks WHERE media_id = " + oldId)).isZero();
            }
            assertThat(http.get(token, fresh).status()).as("the fresh one stays").isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestStores.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void everyNodeOfAClusterServesMediaAnyNodeTookIn(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults().withReplyProbability(0).withReadProbability(0),
                Map.of("cluster.enabled", true, "cluster.heartbeat-ms", 200, "cluster.lease-ms", 1_000));
             Node other = harness.anotherNode()) {
            String token = harness.project("A");
            harness.number(token, NUMBER, 50);
            Uploads first = new Uploads(harness.node.httpPort());
            Uploads second = new Uploads(other.httpPort());
            byte[] jpeg = Uploads.file(2 * 1_048_576 + 7, new byte[] {(byte) 0xFF, (byte) 0xD8});
            String id = first.uploaded(token, NUMBER, jpeg, "image/jpeg");

            assertThat(second.get(token, id).bytes()).as("read through the other node").isEqualTo(jpeg);
            String sent = new ApiClient("http://127.0.0.1:" + other.httpPort()).expect(202, "/v1/messages", token,
                    Map.of("from", NUMBER, "to", "+15550007000", "type", "image", "image", Map.of("id", id)))
                    .path("messages").get(0).path("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> !harness.network.received("+15550007000").isEmpty());
            UserMessage received = harness.network.received("+15550007000").getFirst();
            assertThat(received.messageId()).isEqualTo(Ids.parse(sent));
            assertThat(received.payload()).contains(Uploads.sha256(jpeg));

            assertThat(second.delete(token, id).status()).isEqualTo(204);
            assertThat(first.get(token, id).status()).as("deleted through the other node").isEqualTo(404);
        }
    }

    static long count(Connection store, String sql) throws Exception {
        try (Statement s = store.createStatement(); ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
