package io.switchboard.app.upstream;

import static io.switchboard.app.upstream.CloudRig.ACCESS_TOKEN;
import static io.switchboard.app.upstream.CloudRig.APP_SECRET;
import static io.switchboard.app.upstream.CloudRig.NUMBER;
import static io.switchboard.app.upstream.CloudRig.PHONE_NUMBER_ID;
import static io.switchboard.app.upstream.CloudRig.VERIFY_TOKEN;
import static io.switchboard.app.upstream.CloudRig.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.CloudApiStandIn;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Receiver;
import io.switchboard.dispatcher.signing.Signer;
import io.switchboard.store.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A number connected to Meta's Cloud API, against a local stand-in of it over real HTTP: sends go through the Graph
 * API under the number's budget and come back as events; Meta's signed webhooks bring statuses and incoming messages
 * into the same pipeline as the network's; and Meta's errors are handled as its documentation says.
 */
class CloudUpstreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aConnectedNumberSendsThroughTheGraphApiAndTakesMetasWebhooks(TestStores.Kind kind) throws Exception {
        try (CloudRig rig = CloudRig.start(kind, tempDir, 100, Map.of())) {
            Harness harness = rig.harness();
            harness.receiver.answer(call -> call.path().equals("/webhook")
                    ? new Receiver.Answer(200, "{\"type\":\"text\",\"text\":{\"body\":\"thanks, got it\"}}")
                    : Receiver.Answer.ok());
            JsonNode listed = harness.api.get("/v1/numbers", rig.token()).body().path("numbers").get(0);
            assertThat(listed.path("upstream").path("phone_number_id").asText()).as("%s", listed).isEqualTo(PHONE_NUMBER_ID);
            assertThat(listed.toString()).doesNotContain(ACCESS_TOKEN).doesNotContain(APP_SECRET).doesNotContain(VERIFY_TOKEN);

            List<String> users = users(0, 3);
            List<String> ids = rig.send(users, "Your order shipped");
            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 3);
            List<CloudApiStandIn.Accepted> taken = rig.meta().accepted();
            assertThat(taken).extracting(CloudApiStandIn.Accepted::to).containsExactlyInAnyOrderElementsOf(users);
            assertThat(taken).allSatisfy(a -> assertThat(a.body().path("text").path("body").asText()).isEqualTo("Your order shipped"));
            for (String id : ids) await().atMost(WAIT).until(() -> rig.status(id).equals("sent"));

            for (CloudApiStandIn.Accepted a : taken) {
                assertThat(rig.meta().send(rig.meta().status(a.wamid(), a.to(), "delivered"))).isEqualTo(200);
                assertThat(rig.meta().send(rig.meta().status(a.wamid(), a.to(), "read"))).isEqualTo(200);
            }
            for (String id : ids) assertThat(rig.status(id)).as("answered 200 once stored").isEqualTo("read");
            await().atMost(WAIT).until(() -> rig.events().values().stream().filter(s -> s.contains("read")).count() == 3);
            assertThat(rig.events()).allSatisfy((id, statuses) ->
                    assertThat(statuses).as("message %s", id).containsExactly("sent", "delivered", "read"));

            // An incoming message reaches the customer's Webhook, and its instant reply goes out through the Graph API.
            String user = users.get(1);
            assertThat(rig.meta().send(rig.meta().incoming("wamid.IN1", user, "Asha", "where is my parcel? \u0928\u092e\u0938\u094d\u0924\u0947 \uD83D\uDE00"))).isEqualTo(200);
            await().atMost(WAIT).until(() -> harness.receiver.calls("/webhook").size() == 1);
            JsonNode hook = harness.receiver.calls("/webhook").getFirst().body();
            assertThat(hook.path("from").asText()).isEqualTo(user);
            assertThat(hook.path("text").path("body").asText()).isEqualTo("where is my parcel? \u0928\u092e\u0938\u094d\u0924\u0947 \uD83D\uDE00");
            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 4);
            CloudApiStandIn.Accepted reply = rig.meta().accepted().get(3);
            assertThat(reply.to()).isEqualTo(user);
            assertThat(reply.body().path("text").path("body").asText()).isEqualTo("thanks, got it");

            // The bot marks it read through our Cloud API endpoint: the read mark goes on to Meta with Meta's wamid.
            ApiClient.Answer read = harness.api.post("/v23.0/" + NUMBER.substring(1) + "/messages", rig.token(),
                    Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + hook.path("id").asText()));
            assertThat(read.status()).as("%s", read.body()).isEqualTo(200);
            await().atMost(WAIT).until(() -> rig.meta().readMarks().contains("wamid.IN1"));
            // Meta counts messages, sent and received: its statuses and the read mark cost the number no budget.
            JsonNode used = harness.api.get("/v1/numbers", rig.token()).body().path("numbers").get(0).path("budget_used");
            assertThat(List.of(used.path("send").asLong(), used.path("receive").asLong(),
                    used.path("delivery_report").asLong(), used.path("read_report").asLong())).isEqualTo(List.of(4L, 1L, 0L, 0L));

            // Another project neither sees nor changes the number.
            String other = harness.project("Other");
            assertThat(harness.api.get("/v1/numbers", other).body().path("numbers")).isEmpty();
            ApiClient.Answer patched = harness.api.patch("/v1/numbers/" + NUMBER, other, Map.of("upstream", CloudRig.upstream(rig.meta())));
            assertThat(patched.status()).as("%s", patched.body()).isEqualTo(404);
            assertThat(harness.api.get("/v1/messages/" + ids.getFirst(), other).status()).isEqualTo(404);
        }
    }

    @Test
    void throughputErrorsSlowTheNumberDownAndLoseNothing() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 50, Map.of())) {
            rig.meta().throughput(5);
            List<String> ids = rig.send(users(0, 40), "offer");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.meta().accepted().size() >= 40);
            for (String id : ids) await().atMost(WAIT).until(() -> rig.status(id).equals("sent"));

            List<CloudApiStandIn.Accepted> taken = rig.meta().accepted();
            assertThat(taken).as("every message reached Meta once").hasSize(40);
            assertThat(taken).extracting(CloudApiStandIn.Accepted::to).doesNotHaveDuplicates();
            long throttled = rig.meta().attempts().stream().filter(a -> a.code() == 130429).count();
            assertThat(throttled).as("Meta said 130429").isPositive();
            // Without slowing down, 50 TPS against 5 taken a second makes about 45 refusals a second for 8 s.
            assertThat(throttled).as("refusals once the number slowed down (of %s attempts)", rig.meta().attempts().size())
                    .isLessThan(80);
            assertThat(rig.events()).allSatisfy((id, statuses) -> assertThat(statuses).doesNotContain("failed"));
        }
    }

    @Test
    void pairRateErrorsDelayOnlyThatUser() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            String busy = users(0, 1).getFirst();
            rig.meta().script(busy, 131056);
            long start = System.currentTimeMillis();
            List<String> first = rig.send(List.of(busy), "first");
            List<String> others = rig.send(users(1, 10), "to the others");
            List<String> second = rig.send(List.of(busy), "second");

            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 12);
            Map<String, List<CloudApiStandIn.Accepted>> byUser = new HashMap<>();
            for (CloudApiStandIn.Accepted a : rig.meta().accepted()) byUser.computeIfAbsent(a.to(), u -> new ArrayList<>()).add(a);
            assertThat(byUser.get(busy)).extracting(a -> a.body().path("text").path("body").asText())
                    .as("that user's messages keep their order").containsExactly("first", "second");
            long busyAt = byUser.get(busy).getFirst().atMillis();
            assertThat(busyAt - start).as("the limited user waited 4 s").isGreaterThanOrEqualTo(4_000);
            for (String user : users(1, 10)) {
                assertThat(byUser.get(user).getFirst().atMillis()).as("%s did not wait", user).isLessThan(start + 3_000);
            }
            assertThat(rig.meta().attempts().stream().filter(a -> a.to().equals(busy))).as("tried twice, then taken")
                    .extracting(CloudApiStandIn.Attempt::code).containsExactly(131056, 0, 0);
            for (String id : List.of(first.getFirst(), second.getFirst(), others.getFirst())) {
                await().atMost(WAIT).until(() -> rig.status(id).equals("sent"));
            }
        }
    }

    /**
     * Media both ways through Meta. A link goes to the Graph API as the bot wrote it (Meta fetches it itself). A file
     * uploaded to the node is uploaded to Meta once, and every message names it by the id Meta gave it. A file a user
     * sends through Meta (its webhook names it by id only) is fetched from Meta and reaches the bot's Webhook with a
     * URL of ours that downloads the same bytes.
     */
    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void mediaGoesBothWaysThroughMeta(TestStores.Kind kind) throws Exception {
        try (CloudRig rig = CloudRig.start(kind, tempDir, 100, Map.of())) {
            List<String> users = users(0, 3);
            String link = "https://cdn.example.com/catalogue/aloe.jpg";
            rig.harness().api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER, "to", users.get(0),
                    "type", "image", "image", Map.of("link", link, "caption", "Aloe")));
            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 1);
            JsonNode image = rig.meta().accepted().getFirst().body().path("image");
            assertThat(image.path("link").asText()).isEqualTo(link);
            assertThat(image.path("caption").asText()).isEqualTo("Aloe");

            byte[] jpeg = Uploads.file(20_000, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
            String mediaId = new Uploads(rig.harness().node.httpPort()).uploaded(rig.token(), NUMBER, jpeg, "image/jpeg");
            for (String user : users.subList(1, 3)) {
                rig.harness().api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER, "to", user,
                        "type", "image", "image", Map.of("id", mediaId, "caption", "Our aloe")));
            }
            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 3);
            assertThat(rig.meta().uploads()).as("uploaded once for both").isEqualTo(1);
            for (CloudApiStandIn.Accepted sent : rig.meta().accepted().subList(1, 3)) {
                JsonNode object = sent.body().path("image");
                assertThat(object.path("caption").asText()).isEqualTo("Our aloe");
                assertThat(object.has("sha256")).as("only the fields of Meta's media object").isFalse();
                assertThat(rig.meta().media(object.path("id").asText()).bytes()).isEqualTo(jpeg);
            }

            byte[] photo = Uploads.file(30_000, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            assertThat(rig.meta().send(rig.meta().incomingMedia("wamid.PHOTO1", users.get(0), "Asha", "image",
                    "image/png", photo, "my plant"))).isEqualTo(200);
            await().atMost(WAIT).until(() -> rig.harness().receiver.calls("/webhook").size() == 1);
            JsonNode hook = rig.harness().receiver.calls("/webhook").getFirst().body();
            JsonNode received = hook.path("image");
            assertThat(received.path("caption").asText()).isEqualTo("my plant");
            assertThat(received.path("sha256").asText()).isEqualTo(Uploads.sha256(photo));
            HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(received.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(Uploads.sha256(fetched.body())).isEqualTo(Uploads.sha256(photo));
        }
    }

    /**
     * A reply's context and a reaction name a message by the id the bot got from us (bare, or as the Cloud API
     * endpoint shows it, {@code wamid.<id>}); Meta gets the wamid it gave that message, outgoing or incoming.
     */
    @Test
    void repliesAndReactionsNameMessagesByTheWamidMetaGaveThem() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            String user = users(0, 1).getFirst();
            String offer = rig.send(List.of(user), "20% off today").getFirst();
            await().atMost(WAIT).until(() -> rig.status(offer).equals("sent"));
            String offerWamid = rig.meta().accepted().getFirst().wamid();
            assertThat(rig.meta().send(rig.meta().incoming("wamid.ASK1", user, "Asha", "is it on aloe too?"))).isEqualTo(200);
            await().atMost(WAIT).until(() -> rig.harness().receiver.calls("/webhook").size() == 1);
            String question = rig.harness().receiver.calls("/webhook").getFirst().body().path("id").asText();

            rig.harness().api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER, "to", user, "type", "text",
                    "text", Map.of("body", "yes, aloe too"), "context", Map.of("message_id", question)));
            rig.harness().api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER, "to", user,
                    "type", "reaction", "reaction", Map.of("message_id", "wamid." + offer, "emoji", "\uD83D\uDC4D")));
            await().atMost(WAIT).until(() -> rig.meta().accepted().size() == 3);

            List<CloudApiStandIn.Accepted> sent = rig.meta().accepted();
            assertThat(sent.get(1).body().path("context").path("message_id").asText()).isEqualTo("wamid.ASK1");
            assertThat(sent.get(2).body().path("reaction").path("message_id").asText()).isEqualTo(offerWamid);
        }
    }

    /** A file Meta no longer has (the user's, or our upload's id it forgot) fails only that message, with Meta's code. */
    @Test
    void aFileMetaDoesNotHaveFailsItsMessageWithMetasCode() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            String mediaId = new Uploads(rig.harness().node.httpPort()).uploaded(rig.token(), NUMBER, Uploads.file(2_000),
                    "image/jpeg");
            try (var store = rig.harness().storeConnection(); var forget = store.createStatement()) {
                forget.executeUpdate("INSERT INTO upstream_media (media_id, number, meta_id, uploaded_at) VALUES ("
                        + io.switchboard.store.Ids.parse(mediaId) + ", '" + NUMBER + "', '999', " + System.currentTimeMillis() + ")");
            }
            JsonNode accepted = rig.harness().api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER,
                    "to", users(0, 1).getFirst(), "type", "image", "image", Map.of("id", mediaId)));
            String id = accepted.path("messages").get(0).path("id").asText();
            await().atMost(WAIT).until(() -> rig.status(id).equals("failed"));
            assertThat(rig.message(id).path("error").asText()).startsWith("131053");
            assertThat(rig.meta().accepted()).isEmpty();
        }
    }

    @Test
    void permanentErrorsFailTheMessageWithTheCodeAndTransientOnesAreRetried() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100,
                Map.of("upstream.retry-first-ms", 50, "upstream.timeout-ms", 500))) {
            String spammy = users(0, 1).getFirst();
            rig.meta().script(spammy, 131048);
            String failed = rig.send(List.of(spammy), "promo").getFirst();
            await().atMost(WAIT).until(() -> rig.status(failed).equals("failed"));
            assertThat(rig.message(failed).path("error").asText()).as("%s", rig.message(failed)).startsWith("131048");
            await().atMost(WAIT).until(() -> rig.events().containsKey(failed));
            JsonNode event = rig.harness().receiver.events("/events").stream()
                    .filter(e -> e.path("message_id").asText().equals(failed)).findFirst().orElseThrow();
            assertThat(event.path("status").asText()).isEqualTo("failed");
            assertThat(event.path("error").asText()).startsWith("131048");

            rig.meta().serverErrors(2);
            rig.meta().slowAnswers(1, 1_500);
            String retried = rig.send(users(1, 1), "hello").getFirst();
            await().atMost(WAIT).until(() -> rig.status(retried).equals("sent"));
            assertThat(rig.meta().attempts().stream().filter(a -> a.to().equals(spammy)))
                    .as("a permanent error is not retried").hasSize(1);
            assertThat(rig.meta().attempts().stream().filter(a -> a.to().equals(users(1, 1).getFirst())))
                    .extracting(CloudApiStandIn.Attempt::code).as("two 503s, one too slow, then taken")
                    .containsExactly(2, 2, -1, 0);
            assertThat(rig.meta().accepted()).hasSize(1);
        }
    }

    @Test
    void aGraphAnswerTooLargeToReadFailsTheSendAsABadAnswer() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            rig.meta().oversizedAnswers(1);
            String id = rig.send(users(0, 1), "hello").getFirst();
            await().atMost(WAIT).until(() -> rig.status(id).equals("failed"));
            assertThat(rig.message(id).path("error").asText()).as("%s", rig.message(id))
                    .startsWith("upstream_answer").contains("larger than 1048576 bytes");
            assertThat(rig.meta().attempts()).extracting(CloudApiStandIn.Attempt::code).as("not sent again")
                    .containsExactly(-2);
        }
    }

    @Test
    void aGraphAnswerWhoseBodyNeverEndsIsCutOffAtTheTimeoutAndSentAgain() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100,
                Map.of("upstream.retry-first-ms", 50, "upstream.timeout-ms", 1_000))) {
            rig.meta().endlessAnswers(1);
            String id = rig.send(users(0, 1), "hello").getFirst();
            // A minute of body where the call may take a second: cut off, sent again, taken.
            await().atMost(Duration.ofSeconds(10)).until(() -> rig.status(id).equals("sent"));
            assertThat(rig.meta().attempts()).extracting(CloudApiStandIn.Attempt::code).containsExactly(-3, 0);
        }
    }

    @Test
    void duplicateAndOutOfOrderWebhooksChangeNothing() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            String user = users(0, 1).getFirst();
            String id = rig.send(List.of(user), "hi").getFirst();
            await().atMost(WAIT).until(() -> rig.status(id).equals("sent"));
            String wamid = rig.meta().accepted().getFirst().wamid();
            CloudApiStandIn meta = rig.meta();
            byte[] read = meta.status(wamid, user, "read");
            byte[] delivered = meta.status(wamid, user, "delivered");
            for (byte[] body : List.of(read, delivered, read, delivered, meta.status(wamid, user, "sent"))) {
                assertThat(meta.send(body)).isEqualTo(200);
            }
            byte[] incoming = meta.incoming("wamid.HBgLMTU1NTAwMDExMTEVAgASGBQz", user, "Ravi", "stop");
            assertThat(meta.send(incoming)).isEqualTo(200);
            assertThat(meta.send(incoming)).as("Meta sends it again").isEqualTo(200);

            await().atMost(WAIT).until(() -> rig.harness().receiver.calls("/webhook").size() >= 1
                    && rig.events().getOrDefault(id, List.of()).contains("read"));
            Thread.sleep(500); // anything a duplicate would bring has come by now
            assertThat(rig.status(id)).isEqualTo("read");
            assertThat(rig.message(id).path("statuses").fieldNames()).toIterable()
                    .as("the late delivered is dropped").containsExactly("queued", "sent", "read");
            assertThat(rig.events().get(id)).containsExactly("sent", "read");
            assertThat(rig.harness().receiver.calls("/webhook")).as("the repeated wamid is stored once").hasSize(1);
        }
    }

    @Test
    void metasHandshakeAndSignaturesAreChecked() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 100, Map.of())) {
            CloudApiStandIn meta = rig.meta();
            var handshake = meta.verify(VERIFY_TOKEN, "1158201444");
            assertThat(handshake.statusCode()).isEqualTo(200);
            assertThat(handshake.body()).isEqualTo("1158201444");
            assertThat(meta.verify("not-the-token", "1158201444").statusCode()).isEqualTo(403);

            String user = users(0, 1).getFirst();
            byte[] body = meta.incoming("wamid.FORGED", user, "Mallory", "forged");
            assertThat(meta.send(body, null)).as("no signature").isEqualTo(401);
            assertThat(meta.send(body, "sha256=" + "0".repeat(64))).as("a wrong signature").isEqualTo(403);
            byte[] other = meta.incoming("wamid.OTHER", user, "Mallory", "other");
            assertThat(meta.send(body, Signer.hubSignature(APP_SECRET, other))).as("another body's signature").isEqualTo(403);
            assertThat(meta.send(body, Signer.hubSignature("another-app", body)))
                    .as("another app's secret").isEqualTo(403);
            assertThat(meta.send(meta.incoming("wamid.REAL", user, "Ravi", "real"))).isEqualTo(200);
            await().atMost(WAIT).until(() -> rig.harness().receiver.calls("/webhook").size() == 1);
            Thread.sleep(300);
            assertThat(rig.harness().receiver.calls("/webhook")).extracting(c -> c.body().path("text").path("body").asText())
                    .as("only the signed message was taken").containsExactly("real");
        }
    }
}
