package io.switchboard.app.upstream;

import static io.switchboard.app.upstream.CloudRig.NUMBER;
import static io.switchboard.app.upstream.CloudRig.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.app.testing.Harness;
import io.switchboard.app.testing.Http;
import io.switchboard.app.testing.Npm;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A number connected to Meta's Cloud API (the stand-in): the bot's calls on the number's own objects (the number, its
 * settings, its business profile) go on to Meta with the number's access token, Meta's phone_number_id and the query
 * as written, and Meta's answers come back as Meta gave them; the bot may name the number by its digits or by Meta's
 * id. A read mark with a typing indicator reaches Meta with it. Meta not answering is Meta's code 2 (503).
 */
class CloudUpstreamObjectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DIGITS = NUMBER.substring(1);
    @TempDir Path tempDir;

    @Test
    void theNumbersObjectsArePassedOnToMetaAndMetasAnswersComeBack() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 200, Map.of())) {
            Harness harness = rig.harness();
            Http http = new Http(harness.node.httpPort());
            String profile = "/v23.0/" + DIGITS + "/whatsapp_business_profile";

            Http.Answer read = http.call("GET", profile + "?fields=about,vertical", rig.token(), null);
            assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(JSON.readTree(
                    "{\"data\":[{\"about\":\"Set at Meta\",\"vertical\":\"RETAIL\",\"messaging_product\":\"whatsapp\"}]}"));
            Http.Answer changed = http.call("POST", profile, rig.token(), Map.of("messaging_product", "whatsapp",
                    "about", "Changed through the node", "websites", List.of("https://shop.example")));
            assertThat(changed.body()).isEqualTo(JSON.readTree("{\"success\":true}"));
            assertThat(http.call("GET", "/v23.0/" + PHONE_NUMBER_ID + "/whatsapp_business_profile", rig.token(), null)
                    .body().path("data").get(0).path("about").asText()).as("by Meta's id").isEqualTo("Changed through the node");

            JsonNode number = http.call("GET", "/v23.0/" + DIGITS, rig.token(), null).body();
            assertThat(number.path("verified_name").asText()).isEqualTo("Meta Shop");
            assertThat(number.path("quality_rating").asText()).isEqualTo("YELLOW");
            assertThat(number.path("id").asText()).isEqualTo(PHONE_NUMBER_ID);
            assertThat(http.call("GET", "/v23.0/" + DIGITS + "/settings", rig.token(), null).body())
                    .isEqualTo(JSON.readTree("{\"calling\":{\"status\":\"ENABLED\"}}"));
            String project = harness.api.get("/v1/project", rig.token()).body().path("id").asText();
            JsonNode listed = http.call("GET", "/v23.0/" + project + "/phone_numbers", rig.token(), null).body();
            assertThat(listed.path("data")).hasSize(1);
            assertThat(listed.path("data").get(0).path("quality_rating").asText()).as("Meta's facts").isEqualTo("YELLOW");
            assertThat(listed.path("data").get(0).path("id").asText()).as("under the node's id").isEqualTo(DIGITS);

            String at = "/" + io.switchboard.app.testing.CloudApiStandIn.VERSION + "/" + PHONE_NUMBER_ID;
            assertThat(rig.meta().objectCalls()).containsExactly(
                    "GET " + at + "/whatsapp_business_profile?fields=about,vertical",
                    "POST " + at + "/whatsapp_business_profile", "GET " + at + "/whatsapp_business_profile",
                    "GET " + at, "GET " + at + "/settings", "GET " + at);

            // Another project reaches nothing of it at Meta.
            String other = harness.project("Other");
            assertThat(http.call("GET", profile, other, null).body().path("error").path("error_subcode").asInt()).isEqualTo(33);
            assertThat(http.call("GET", "/v23.0/" + PHONE_NUMBER_ID, other, null).body().path("error").path("code").asInt())
                    .isEqualTo(100);
            assertThat(rig.meta().objectCalls()).hasSize(6);

            rig.meta().close();
            Http.Answer down = http.call("GET", profile, rig.token(), null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().path("error").path("code").asInt()).isEqualTo(2);
            assertThat(down.body().toString()).doesNotContain(CloudRig.ACCESS_TOKEN);
        }
    }

    @Test
    void theProjectsTemplatesAreItsBusinessAccountsAtMetaAndMetaChecksItsSends() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 200, Map.of())) {
            Harness harness = rig.harness();
            Http http = new Http(harness.node.httpPort());
            String project = harness.api.get("/v1/project", rig.token()).body().path("id").asText();
            String templates = "/v23.0/" + project + "/message_templates";

            assertThat(http.call("GET", templates + "?status=APPROVED", rig.token(), null).body().path("data").get(0)
                    .path("name").asText()).isEqualTo("hello_world");
            Http.Answer created = http.call("POST", templates, rig.token(), Map.of("name", "order_shipped", "language",
                    "en_US", "category", "UTILITY", "components", List.of(Map.of("type", "BODY", "text", "Shipped"))));
            assertThat(created.body()).as("Meta's answer, as Meta gave it").isEqualTo(JSON.readTree(
                    "{\"id\":\"1402198397634584\",\"status\":\"PENDING\",\"category\":\"UTILITY\"}"));
            assertThat(http.call("DELETE", templates + "?name=order_shipped", rig.token(), null).body())
                    .isEqualTo(JSON.readTree("{\"success\":true}"));
            String at = "/" + io.switchboard.app.testing.CloudApiStandIn.VERSION + "/"
                    + io.switchboard.app.testing.CloudApiStandIn.WABA_ID + "/message_templates";
            assertThat(rig.meta().objectCalls()).containsExactly("GET " + at + "?status=APPROVED", "POST " + at,
                    "DELETE " + at + "?name=order_shipped");
            assertThat(harness.api.get("/v1/numbers", rig.token()).body().path("numbers").get(0).path("upstream")
                    .path("waba_id").asText()).isEqualTo(io.switchboard.app.testing.CloudApiStandIn.WABA_ID);

            // A template send from the number on Meta is Meta's to check: the node passes it on.
            harness.api.expect(202, "/v1/messages", rig.token(), Map.of("from", NUMBER, "to", "+919876500002", "type",
                    "template", "template", Map.of("name", "hello_world", "language", Map.of("code", "en_US"))));
            await().atMost(WAIT).until(() -> !rig.meta().accepted().isEmpty());
        }
    }

    /** The same through a client library from npm ({@code src/test/node/great-detail-meta.mjs}). */
    @Test
    void greatDetailWhatsappChangesTheProfileAtMetaAndSendsATypingIndicatorThroughTheNode() throws Exception {
        Npm npm = Npm.install();
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 200, Map.of())) {
            Harness harness = rig.harness();
            String id = incoming(rig, "wamid.TYPING2");

            JsonNode output = npm.node("great-detail-meta.mjs", Map.of("baseUrl", "http://127.0.0.1:" + harness.node.httpPort(),
                    "token", rig.token(), "phoneNumberId", DIGITS, "readId", "wamid." + id), Map.of());

            assertThat(output.path("profileChanged")).isEqualTo(JSON.readTree("{\"success\":true}"));
            assertThat(output.path("profile")).isEqualTo(JSON.readTree(
                    "{\"data\":[{\"about\":\"Changed by a library\",\"vertical\":\"RESTAURANT\",\"messaging_product\":\"whatsapp\"}]}"));
            assertThat(output.path("phoneNumber").path("verified_name").asText()).isEqualTo("Meta Shop");
            assertThat(output.path("read")).isEqualTo(JSON.readTree("{\"success\":true}"));
            await().atMost(WAIT).until(() -> rig.meta().typingIndicators().contains("wamid.TYPING2"));
        }
    }

    @Test
    void aReadMarkWithATypingIndicatorReachesMetaWithIt() throws Exception {
        try (CloudRig rig = CloudRig.start(TestStores.Kind.EMBEDDED, tempDir, 200, Map.of())) {
            Harness harness = rig.harness();
            String id = incoming(rig, "wamid.TYPING1");

            Http.Answer marked = new Http(harness.node.httpPort()).call("POST", "/v23.0/" + DIGITS + "/messages",
                    rig.token(), Map.of("messaging_product", "whatsapp", "status", "read", "message_id", "wamid." + id,
                            "typing_indicator", Map.of("type", "text")));
            assertThat(marked.status()).as(marked.body().toString()).isEqualTo(200);
            await().atMost(WAIT).until(() -> rig.meta().typingIndicators().contains("wamid.TYPING1"));
            assertThat(rig.meta().readMarks()).containsExactly("wamid.TYPING1");
        }
    }

    /** A message from a user through Meta's webhook; answers our id of it, as the bot's Webhook carried it. */
    private static String incoming(CloudRig rig, String wamid) throws Exception {
        assertThat(rig.meta().send(rig.meta().incoming(wamid, "+919876500001", "Asha", "hello?"))).isEqualTo(200);
        await().atMost(WAIT).until(() -> !rig.harness().receiver.calls("/webhook").isEmpty());
        return rig.harness().receiver.calls("/webhook").getFirst().body().path("id").asText();
    }
}
