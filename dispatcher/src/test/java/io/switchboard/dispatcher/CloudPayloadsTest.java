package io.switchboard.dispatcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import io.switchboard.store.ids.ProcessIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudPayloadsTest {
    private static final String NUMBER_A = "+15550001111";
    private static final String NUMBER_B = "+447700900123";
    private static final String PEER = "+919812345678";

    private final ObjectMapper json = new ObjectMapper();
    private final PayloadFormat cloud = PayloadFormat.of("cloud", json);

    private static MessageRecord incoming(long id, long createdMillis, String payload) {
        return new MessageRecord(id, "prj_1", NUMBER_A, Direction.IN, PEER, 3, Priority.NORMAL, "text",
                payload.getBytes(UTF_8), MessageStatus.QUEUED, "net-1", null, true,
                MessageRecord.Times.createdAt(createdMillis));
    }

    private static EventRecord event(long messageId, String number, MessageStatus status, String error, long at) {
        return new EventRecord(ProcessIds.next(), "prj_1", messageId, number, PEER, status, error, at);
    }

    @Test
    void anIncomingMessageHasTheCloudApiShape() throws Exception {
        long id = ProcessIds.next();
        JsonNode body = json.readTree(cloud.incoming(incoming(id, 1_700_000_123_987L, "{\"body\":\"hello\"}"),
                "{\"body\":\"hello\"}", null));

        assertThat(body.get("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(body.get("entry")).hasSize(1);
        JsonNode entry = body.get("entry").get(0);
        assertThat(entry.get("id").asText()).isEqualTo("prj_1");
        assertThat(entry.get("changes")).hasSize(1);
        assertThat(entry.get("changes").get(0).get("field").asText()).isEqualTo("messages");
        JsonNode value = entry.get("changes").get(0).get("value");
        assertThat(value.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(value.get("metadata").get("display_phone_number").asText()).isEqualTo("15550001111");
        assertThat(value.get("metadata").get("phone_number_id").asText()).isEqualTo("15550001111");
        assertThat(value.get("contacts")).hasSize(1);
        assertThat(value.get("contacts").get(0).get("wa_id").asText()).isEqualTo("919812345678");
        // Meta always sends a profile, and libraries read its name unguarded: "" when the network told none.
        assertThat(value.get("contacts").get(0).path("profile").path("name").asText("absent")).isEmpty();
        assertThat(value.get("messages")).hasSize(1);
        JsonNode message = value.get("messages").get(0);
        assertThat(message.get("from").asText()).isEqualTo("919812345678");
        assertThat(message.get("id").asText()).isEqualTo("wamid." + Ids.format(id));
        assertThat(message.get("timestamp").isTextual()).isTrue();
        assertThat(message.get("timestamp").asText()).isEqualTo("1700000123");
        assertThat(message.get("type").asText()).isEqualTo("text");
        assertThat(message.get("text").get("body").asText()).isEqualTo("hello");
        assertThat(value.has("statuses")).isFalse();
    }

    @Test
    void theBodyIsAsciiOnlyWithMetasLowercaseEscapesAndParsesBackToTheText() throws Exception {
        String text = "नमस्ते 😀 café";
        String payload = json.writeValueAsString(Map.of("body", text));
        byte[] raw = cloud.incoming(incoming(ProcessIds.next(), 1_700_000_000_000L, payload), payload, null);

        for (byte b : raw) assertThat(b & 0xff).isLessThan(0x80);
        assertThat(new String(raw, UTF_8)).contains("\\u0928\\u092e", "\\ud83d\\ude00", "caf\\u00e9");
        assertThat(json.readTree(raw).at("/entry/0/changes/0/value/messages/0/text/body").asText()).isEqualTo(text);
        // The mapper handed in is left as it was: the native format keeps UTF-8.
        assertThat(json.writeValueAsString(text)).isEqualTo("\"" + text + "\"");
    }

    @Test
    void statusesAreGroupedPerNumberInTheBatchOrder() throws Exception {
        long a1 = ProcessIds.next(), b1 = ProcessIds.next(), a2 = ProcessIds.next(), b2 = ProcessIds.next(), a3 = ProcessIds.next();
        List<EventRecord> batch = List.of(
                event(a1, NUMBER_A, MessageStatus.SENT, null, 1_700_000_001_500L),
                event(b1, NUMBER_B, MessageStatus.DELIVERED, null, 1_700_000_002_000L),
                event(a2, NUMBER_A, MessageStatus.READ, null, 1_700_000_003_999L),
                event(b2, NUMBER_B, MessageStatus.FAILED, "number is not on WhatsApp", 1_700_000_004_000L),
                event(a3, NUMBER_A, MessageStatus.FAILED, null, 1_700_000_005_000L));
        JsonNode body = json.readTree(cloud.events(batch));

        assertThat(body.get("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(body.get("entry")).hasSize(1);
        assertThat(body.at("/entry/0/id").asText()).isEqualTo("prj_1");
        JsonNode changes = body.at("/entry/0/changes");
        assertThat(changes).hasSize(2);
        JsonNode forA = changes.get(0).get("value");
        JsonNode forB = changes.get(1).get("value");
        assertThat(changes.get(0).get("field").asText()).isEqualTo("messages");
        assertThat(forA.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(forA.at("/metadata/phone_number_id").asText()).isEqualTo("15550001111");
        assertThat(forA.at("/metadata/display_phone_number").asText()).isEqualTo("15550001111");
        assertThat(forB.at("/metadata/phone_number_id").asText()).isEqualTo("447700900123");
        assertThat(forA.has("messages")).isFalse();

        assertThat(ids(forA)).containsExactly(wamid(a1), wamid(a2), wamid(a3));
        assertThat(ids(forB)).containsExactly(wamid(b1), wamid(b2));
        assertThat(field(forA, "status")).containsExactly("sent", "read", "failed");
        assertThat(field(forB, "status")).containsExactly("delivered", "failed");
        assertThat(field(forA, "timestamp")).containsExactly("1700000001", "1700000003", "1700000005");
        assertThat(field(forB, "recipient_id")).containsExactly("919812345678", "919812345678");

        JsonNode failedB = forB.get("statuses").get(1);
        assertThat(failedB.get("errors")).hasSize(1);
        assertThat(failedB.at("/errors/0/code").asInt()).isEqualTo(131000);
        assertThat(failedB.at("/errors/0/title").asText()).isEqualTo("number is not on WhatsApp");
        assertThat(forA.at("/statuses/2/errors/0/code").asInt()).isEqualTo(131000);
        assertThat(forA.at("/statuses/2/errors/0/title").asText()).isEqualTo("Something went wrong");
        assertThat(forA.at("/statuses/0").has("errors")).isFalse();
        assertThat(forA.at("/statuses/1").has("errors")).isFalse();
        assertThat(forB.at("/statuses/0").has("errors")).isFalse();
    }

    @Test
    void anEmptyBatchHasNoEntryAndOtherStatusesKeepTheirLabel() throws Exception {
        assertThat(new String(cloud.events(List.of()), UTF_8))
                .isEqualTo("{\"object\":\"whatsapp_business_account\",\"entry\":[]}");
        JsonNode body = json.readTree(cloud.events(List.of(event(ProcessIds.next(), NUMBER_A, MessageStatus.QUEUED, null, 0))));
        assertThat(body.at("/entry/0/changes/0/value/statuses/0/status").asText()).isEqualTo("queued");
    }

    @Test
    void expiredAndCancelledReachACloudApiBotAsFailedWithTheReason() throws Exception {
        JsonNode body = json.readTree(cloud.events(List.of(
                event(ProcessIds.next(), NUMBER_A, MessageStatus.EXPIRED, null, 1_700_000_001_000L),
                event(ProcessIds.next(), NUMBER_A, MessageStatus.CANCELLED, null, 1_700_000_002_000L))));
        JsonNode statuses = body.at("/entry/0/changes/0/value/statuses");
        assertThat(field(body.at("/entry/0/changes/0/value"), "status")).containsExactly("failed", "failed");
        assertThat(statuses.at("/0/errors/0/title").asText()).isEqualTo("expired: the message was not sent");
        assertThat(statuses.at("/1/errors/0/title").asText()).isEqualTo("cancelled: the message was not sent");
        assertThat(statuses.at("/1/errors/0/code").asInt()).isEqualTo(131000);
    }

    @Test
    void aStatusEchoesItsMessagesCallbackValueAsMetaDoesAndAPushEventCarriesItAsPushId() throws Exception {
        long tagged = ProcessIds.next();
        long plain = ProcessIds.next();
        List<EventRecord> batch = List.of(event(tagged, NUMBER_A, MessageStatus.DELIVERED, null, 1_000L)
                .withSent(new EventRecord.Sent("order 4711 ✓", "text", null, false)), event(plain, NUMBER_A, MessageStatus.DELIVERED, null, 2_000L));

        JsonNode statuses = json.readTree(cloud.events(batch)).at("/entry/0/changes/0/value/statuses");
        assertThat(statuses.get(0).path("biz_opaque_callback_data").asText()).isEqualTo("order 4711 ✓");
        assertThat(statuses.get(1).has("biz_opaque_callback_data")).isFalse();

        JsonNode data = json.readTree(PayloadFormat.of("push", json).events(batch)).path("data");
        assertThat(data.get(0).path("push_id").asText()).isEqualTo("order 4711 ✓");
        assertThat(data.get(0).path("msg_id").asText()).isEqualTo(Ids.format(tagged));
        assertThat(data.get(1).has("push_id")).isFalse();
    }

    @Test
    void formatsAreChosenByName() {
        assertThat(PayloadFormat.NAMES).containsExactlyInAnyOrder("native", "cloud", "push");
        assertThat(PayloadFormat.of("native", json)).isInstanceOf(Payloads.class);
        assertThat(PayloadFormat.of("push", json)).isInstanceOf(PushPayloads.class);
        assertThat(PayloadFormat.of("cloud", json)).isInstanceOf(CloudPayloads.class);
        assertThatThrownBy(() -> PayloadFormat.of("soap", json))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"soap\"");
        assertThatThrownBy(() -> PayloadFormat.of(null, json)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String wamid(long id) {
        return "wamid." + Ids.format(id);
    }

    private static List<String> ids(JsonNode value) {
        return field(value, "id");
    }

    private static List<String> field(JsonNode value, String name) {
        List<String> out = new ArrayList<>();
        value.get("statuses").forEach(status -> out.add(status.get(name).asText()));
        return out;
    }
}
