package io.switchboard.dispatcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.store.Direction;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Ids;
import io.switchboard.store.MessageRecord;
import io.switchboard.store.MessageStatus;
import io.switchboard.store.Priority;
import io.switchboard.store.ids.ProcessIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the network told besides the content (names, reply context, referrals, Meta's errors and prices), per format. */
class WebhookDetailsTest {
    private static final String NUMBER = "+15550001111";
    private static final String PEER = "+919812345678";
    private static final String REPLIED_TO = "0ABCDEFGHJKMN";
    private static final String ORIGIN = "{\"name\":\"Asha \u0905\",\"context\":{\"from\":\"15550001111\",\"id\":\""
            + REPLIED_TO + "\"},\"referral\":{\"source_url\":\"https://fb.me/ad\",\"source_type\":\"ad\","
            + "\"source_id\":\"120\",\"headline\":\"Sale\",\"ctwa_clid\":\"ARA\"}}";
    private static final String PRICED = "{\"conversation\":{\"id\":\"c0ffee\",\"origin\":{\"type\":\"service\"}},"
            + "\"pricing\":{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\","
            + "\"category\":\"service\"}}";
    private static final String META_ERROR = "{\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\","
            + "\"message\":\"Message undeliverable\",\"error_data\":{\"details\":\"the phone could not be reached\"}}]}";

    private final ObjectMapper json = new ObjectMapper();

    private static MessageRecord incoming(long id, String type) {
        return new MessageRecord(id, "prj_1", NUMBER, Direction.IN, PEER, 0, Priority.NORMAL, type,
                new byte[0], MessageStatus.QUEUED, "wamid.in.1", null, true, MessageRecord.Times.createdAt(1_700_000_000_000L));
    }

    private static EventRecord event(MessageStatus status, String error, String details) {
        return new EventRecord(ProcessIds.next(), "prj_1", ProcessIds.next(), NUMBER, PEER, status, error,
                1_700_000_001_000L, details);
    }

    private JsonNode body(String format, MessageRecord message, String payload, String origin) throws Exception {
        return json.readTree(PayloadFormat.of(format, json).incoming(message, payload, origin));
    }

    @Test
    void everyFormatCarriesTheSendersNameAndTheMessageRepliedTo() throws Exception {
        MessageRecord message = incoming(ProcessIds.next(), "text");
        String payload = "{\"body\":\"yes please\"}";

        JsonNode ours = body("native", message, payload, ORIGIN);
        assertThat(ours.path("profile_name").asText()).isEqualTo("Asha \u0905");
        assertThat(ours.at("/context/id").asText()).isEqualTo(REPLIED_TO);
        assertThat(ours.at("/context/from").asText()).isEqualTo("15550001111");
        assertThat(ours.at("/referral/source_type").asText()).isEqualTo("ad");

        JsonNode cloud = body("cloud", message, payload, ORIGIN).at("/entry/0/changes/0/value");
        assertThat(cloud.at("/contacts/0/profile/name").asText()).isEqualTo("Asha \u0905");
        assertThat(cloud.at("/messages/0/context/id").asText()).isEqualTo("wamid." + REPLIED_TO);
        assertThat(cloud.at("/messages/0/context/from").asText()).isEqualTo("15550001111");
        assertThat(cloud.at("/messages/0/referral/ctwa_clid").asText()).isEqualTo("ARA");

        JsonNode push = body("push", message, payload, ORIGIN);
        assertThat(push.path("name").asText()).isEqualTo("Asha \u0905");
        assertThat(push.path("context-msg-id").asText()).isEqualTo(REPLIED_TO);
        assertThat(push.path("message-in").asText()).isEqualTo("yes please");
    }

    @Test
    void aMessageWithNothingToldHasNoneOfItAndCloudKeepsMetasEmptyName() throws Exception {
        MessageRecord message = incoming(ProcessIds.next(), "text");
        String payload = "{\"body\":\"hi\"}";
        JsonNode ours = body("native", message, payload, null);
        assertThat(ours.has("profile_name") || ours.has("context") || ours.has("referral")).isFalse();
        JsonNode cloud = body("cloud", message, payload, null).at("/entry/0/changes/0/value");
        assertThat(cloud.at("/contacts/0/profile/name").asText("absent")).isEmpty();
        assertThat(cloud.at("/messages/0").has("context")).isFalse();
        JsonNode push = body("push", message, payload, null);
        assertThat(push.has("name") || push.has("context-msg-id")).isFalse();
    }

    @Test
    void aContextMetaNamesByItsOwnWamidStaysAsMetaWroteIt() throws Exception {
        String origin = "{\"context\":{\"from\":\"15550001111\",\"id\":\"wamid.HBgLMTU1NTAwMDExMTEVAgARGBI\"}}";
        JsonNode cloud = body("cloud", incoming(ProcessIds.next(), "text"), "{\"body\":\"?\"}", origin);
        assertThat(cloud.at("/entry/0/changes/0/value/messages/0/context/id").asText())
                .isEqualTo("wamid.HBgLMTU1NTAwMDExMTEVAgARGBI");
    }

    @Test
    void pushIncomingMediaCarriesTheNodesSignedUrl() throws Exception {
        String payload = "{\"id\":\"0ABC\",\"mime_type\":\"image/png\",\"caption\":\"look\","
                + "\"url\":\"https://node.example/v1/media/0ABC?expires=1&signature=x\"}";
        JsonNode push = body("push", incoming(ProcessIds.next(), "image"), payload, null);
        assertThat(push.path("media-url").asText()).isEqualTo("https://node.example/v1/media/0ABC?expires=1&signature=x");
        assertThat(push.path("message-in").asText()).isEqualTo("look");
    }

    @Test
    void metasErrorsConversationAndPricingPassThroughEveryFormat() throws Exception {
        EventRecord read = event(MessageStatus.READ, null, PRICED);
        EventRecord failed = event(MessageStatus.FAILED, "user_unreachable", META_ERROR);
        List<EventRecord> batch = List.of(read, failed);

        JsonNode statuses = json.readTree(PayloadFormat.of("cloud", json).events(batch))
                .at("/entry/0/changes/0/value/statuses");
        assertThat(statuses.at("/0/pricing/pricing_model").asText()).isEqualTo("PMP");
        assertThat(statuses.at("/0/pricing/category").asText()).isEqualTo("service");
        assertThat(statuses.at("/0/conversation/origin/type").asText()).isEqualTo("service");
        assertThat(statuses.get(0).has("errors")).isFalse();
        assertThat(statuses.at("/1/errors")).hasSize(1);
        assertThat(statuses.at("/1/errors/0/code").asInt()).isEqualTo(131026);
        assertThat(statuses.at("/1/errors/0/title").asText()).isEqualTo("Message undeliverable");
        assertThat(statuses.at("/1/errors/0/message").asText()).isEqualTo("Message undeliverable");
        assertThat(statuses.at("/1/errors/0/error_data/details").asText()).isEqualTo("the phone could not be reached");

        JsonNode events = json.readTree(PayloadFormat.of("native", json).events(batch)).path("events");
        assertThat(events.at("/0/pricing/billable").asBoolean(true)).isFalse();
        assertThat(events.at("/0/conversation/id").asText()).isEqualTo("c0ffee");
        assertThat(events.at("/1/error").asText()).isEqualTo("user_unreachable");
        assertThat(events.at("/1/errors/0/code").asInt()).isEqualTo(131026);

        JsonNode data = json.readTree(PayloadFormat.of("push", json).events(batch)).path("data");
        assertThat(data.at("/1/status").asInt()).isEqualTo(2);
        assertThat(data.at("/1/error_code").asText()).isEqualTo("131026");
        assertThat(data.at("/1/error_message").asText()).isEqualTo("Message undeliverable");
    }

    @Test
    void anErrorOfOursThatStartsWithMetasCodeKeepsThatCode() throws Exception {
        JsonNode error = json.readTree(PayloadFormat.of("cloud", json).events(List.of(
                event(MessageStatus.FAILED, "131048: Spam rate limit hit", null))))
                .at("/entry/0/changes/0/value/statuses/0/errors/0");
        assertThat(error.path("code").asInt()).isEqualTo(131048);
        assertThat(error.path("title").asText()).isEqualTo("Spam rate limit hit");
        assertThat(error.at("/error_data/details").asText()).isEqualTo("131048: Spam rate limit hit");
    }

    @Test
    void pushEventsCarryEveryFieldOfTheProvidersDocument() throws Exception {
        EventRecord viaCloud = event(MessageStatus.DELIVERED, null, null)
                .withSent(new EventRecord.Sent("push-77", "image", "wamid.HBgL", true));
        EventRecord viaNetwork = event(MessageStatus.SENT, null, null)
                .withSent(new EventRecord.Sent(null, "text", "wamid.15550001111.9", false));
        EventRecord expired = event(MessageStatus.EXPIRED, null, null)
                .withSent(new EventRecord.Sent(null, "template", null, false));
        JsonNode body = json.readTree(PayloadFormat.of("push", json).events(List.of(viaCloud, viaNetwork, expired)));

        assertThat(body.path("project_id").asText()).isEqualTo("prj_1");
        assertThat(body.path("event_id").asInt()).isEqualTo(1);
        JsonNode first = body.at("/data/0");
        assertThat(first.path("push_id").asText()).isEqualTo("push-77");
        assertThat(first.path("number").asText()).isEqualTo("919812345678");
        assertThat(first.path("msg_id").asText()).isEqualTo(Ids.format(viaCloud.messageId()));
        assertThat(first.path("status").asInt()).isEqualTo(1);
        assertThat(first.path("reference_number").asText()).isEqualTo("wamid.HBgL");
        assertThat(first.path("message_type").asText()).isEqualTo("image");
        assertThat(first.path("channel_id").asText()).isEqualTo("101");
        assertThat(first.has("error_code")).isFalse();
        JsonNode second = body.at("/data/1");
        assertThat(second.path("status").asInt()).isEqualTo(4);
        assertThat(second.path("channel_id").asText()).isEqualTo("8");
        assertThat(second.path("reference_number").asText()).isEqualTo("wamid.15550001111.9");
        JsonNode third = body.at("/data/2");
        assertThat(third.path("status").asInt()).isEqualTo(5); // refunded: it never went
        assertThat(third.has("reference_number")).isFalse();
        assertThat(third.path("error_code").asText()).isEqualTo("expired");
        assertThat(new String(PayloadFormat.of("push", json).events(List.of(viaCloud)), UTF_8)).doesNotContain("null");
    }
}
