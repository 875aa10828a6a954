package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.UserMessage;
import io.switchboard.store.Ids;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message kind, sent through the API, reaches the simulated network's user exactly as the customer wrote it.
 * Media messages (image, video, audio, document, sticker) go with their stored file's details instead: see
 * {@code media.MediaMessagesTest}.
 */
class MessageKindsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message of one kind as a customer writes it ({@code object} is the value named after its type). */
    record Sample(String name, String type, String object, String replyTo) {}

    static final List<Sample> SAMPLES = List.of(
            new Sample("text", "text", """
                    {"body":"Your order #4711 has shipped ✓ https://example.com/t/4711","preview_url":true}""",
                    "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZC"),
            new Sample("location", "location", """
                    {"latitude":37.44216251868683,"longitude":-122.16153582049394,"name":"Philz Coffee",
                     "address":"101 Forest Ave, Palo Alto, CA 94301"}""", null),
            new Sample("contacts", "contacts", """
                    [{"name":{"formatted_name":"Barbara J. Johnson","first_name":"Barbara","last_name":"Johnson"},
                      "birthday":"1999-01-23",
                      "phones":[{"phone":"+16505559999","type":"HOME"},{"phone":"+16505551234","type":"WORK","wa_id":"16505551234"}],
                      "emails":[{"email":"bjohnson@example.com","type":"WORK"}],
                      "urls":[{"url":"https://www.luckyshrub.com","type":"WORK"}],
                      "org":{"company":"Lucky Shrub","department":"Legal","title":"Manager"},
                      "addresses":[{"street":"1 Lucky Shrub Way","city":"Menlo Park","state":"CA","zip":"94025",
                                    "country":"United States","country_code":"US","type":"WORK"}]},
                     {"name":{"formatted_name":"Asha"}}]""", null),
            new Sample("interactive reply buttons", "interactive", """
                    {"type":"button","header":{"type":"image","image":{"link":"https://cdn.example.com/h.png"}},
                     "body":{"text":"Your appointment is tomorrow at 10:00. Change or cancel?"},
                     "footer":{"text":"Lucky Shrub"},
                     "action":{"buttons":[{"type":"reply","reply":{"id":"change-button","title":"Change"}},
                                          {"type":"reply","reply":{"id":"cancel-button","title":"Cancel"}}]}}""",
                    "0ABCDEFGHJKMN"),
            new Sample("interactive list", "interactive", """
                    {"type":"list","header":{"type":"text","text":"Choose Shipping Option"},
                     "body":{"text":"Which shipping option do you prefer?"},"footer":{"text":"Lucky Shrub"},
                     "action":{"button":"Shipping Options","sections":[
                       {"title":"I want it ASAP!","rows":[
                         {"id":"priority_express","title":"Priority Mail Express","description":"Next Day to 2 Days"},
                         {"id":"priority_mail","title":"Priority Mail","description":"1–3 Days"}]},
                       {"title":"I can wait a bit","rows":[{"id":"ground","title":"USPS Ground Advantage"}]}]}}""",
                    null),
            new Sample("interactive CTA URL", "interactive", """
                    {"type":"cta_url","header":{"type":"text","text":"Spring sale"},
                     "body":{"text":"Tap to see this week's offers."},"footer":{"text":"Lucky Shrub"},
                     "action":{"name":"cta_url","parameters":{"display_text":"See offers",
                       "url":"https://shop.example.com/offers?utm_source=whatsapp"}}}""", null),
            new Sample("interactive location request", "interactive", """
                    {"type":"location_request_message","body":{"text":"Where should we deliver your order?"},
                     "action":{"name":"send_location"}}""", null),
            new Sample("interactive flow", "interactive", """
                    {"type":"flow","header":{"type":"text","text":"Join the club"},
                     "body":{"text":"Sign up in a minute and get 10% off."},"footer":{"text":"Lucky Shrub"},
                     "action":{"name":"flow","parameters":{"flow_message_version":"3","flow_token":"AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                       "flow_id":"1234567890","flow_cta":"Sign up","flow_action":"navigate",
                       "flow_action_payload":{"screen":"WELCOME","data":{"customer":"Asha"}}}}}""", null),
            new Sample("interactive product", "interactive", """
                    {"type":"product","body":{"text":"Back in stock"},"footer":{"text":"Lucky Shrub"},
                     "action":{"catalog_id":"367025965434465","product_retailer_id":"aloe-vera-25cm"}}""", null),
            new Sample("interactive product list", "interactive", """
                    {"type":"product_list","header":{"type":"text","text":"Our plants"},
                     "body":{"text":"Pick yours"},"footer":{"text":"Lucky Shrub"},
                     "action":{"catalog_id":"367025965434465","sections":[
                       {"title":"Succulents","product_items":[{"product_retailer_id":"aloe-vera-25cm"},
                                                              {"product_retailer_id":"echeveria-10cm"}]},
                       {"title":"Ferns","product_items":[{"product_retailer_id":"boston-fern"}]}]}}""", null),
            new Sample("interactive catalog", "interactive", """
                    {"type":"catalog_message","body":{"text":"Browse the whole shop."},
                     "action":{"name":"catalog_message","parameters":{"thumbnail_product_retailer_id":"aloe-vera-25cm"}}}""",
                    null),
            new Sample("template", "template", """
                    {"name":"order_shipped","language":{"policy":"deterministic","code":"en_US"},"components":[
                      {"type":"header","parameters":[{"type":"document",
                        "document":{"link":"https://cdn.example.com/i/4711.pdf","filename":"invoice.pdf"}}]},
                      {"type":"body","parameters":[{"type":"text","text":"Asha"},
                        {"type":"currency","currency":{"fallback_value":"₹1,250.00","code":"INR","amount_1000":1250000}},
                        {"type":"date_time","date_time":{"fallback_value":"May 21, 2026"}}]},
                      {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"TRACK-4711"}]},
                      {"type":"button","sub_type":"url","index":1,"parameters":[{"type":"text","text":"4711"}]}]}""",
                    null),
            new Sample("template with an offer, a place and buttons of every kind", "template", """
                    {"name":"summer_offer","language":{"code":"en"},"components":[
                      {"type":"header","parameters":[{"type":"location","location":{"latitude":12.9716,"longitude":77.5946,
                        "name":"Lucky Shrub","address":"MG Road, Bengaluru"}}]},
                      {"type":"body","parameters":[{"type":"text","parameter_name":"first_name","text":"Asha"}]},
                      {"type":"limited_time_offer","parameters":[{"type":"limited_time_offer",
                        "limited_time_offer":{"expiration_time_ms":1767225600000}}]},
                      {"type":"button","sub_type":"copy_code","index":0,"parameters":[{"type":"coupon_code","coupon_code":"SUMMER25"}]},
                      {"type":"button","sub_type":"flow","index":1,"parameters":[{"type":"action",
                        "action":{"flow_token":"tok-1","flow_action_data":{"plan":"gold"}}}]},
                      {"type":"button","sub_type":"catalog","index":2,"parameters":[{"type":"action",
                        "action":{"thumbnail_product_retailer_id":"aloe-vera-25cm"}}]},
                      {"type":"button","sub_type":"mpm","index":3,"parameters":[{"type":"action",
                        "action":{"thumbnail_product_retailer_id":"aloe-vera-25cm","sections":[{"title":"Succulents",
                          "product_items":[{"product_retailer_id":"aloe-vera-25cm"}]}]}}]}]}""", null),
            new Sample("template carousel", "template", """
                    {"name":"plant_carousel","language":{"code":"en_US"},"components":[
                      {"type":"body","parameters":[{"type":"text","text":"Asha"}]},
                      {"type":"carousel","cards":[
                        {"card_index":0,"components":[
                          {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/aloe.jpg"}}]},
                          {"type":"body","parameters":[{"type":"text","text":"Aloe"}]},
                          {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"BUY-ALOE"}]},
                          {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"aloe"}]}]},
                        {"card_index":1,"components":[
                          {"type":"header","parameters":[{"type":"video","video":{"link":"https://cdn.example.com/fern.mp4"}}]},
                          {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"BUY-FERN"}]}]}]}]}""",
                    null),
            new Sample("reaction", "reaction", """
                    {"message_id":"wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZC","emoji":"👍🏽"}""", null));

    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.app.messages.Messaging#kinds")
    void everyKindReachesTheNetworkIntactAndReadsBackAsSent(TestStores.Kind kind) throws Exception {
        try (Messaging.ProjectNode node = Messaging.start(kind, tempDir, "Kinds", 200)) {
            Harness harness = node.harness();
            String token = node.token();
            List<Object> messages = new ArrayList<>();
            for (int i = 0; i < SAMPLES.size(); i++) messages.add(message(SAMPLES.get(i), user(i)));

            JsonNode accepted = harness.api.expect(202, "/v1/messages", token, Map.of("messages", messages));

            for (int i = 0; i < SAMPLES.size(); i++) {
                Sample sample = SAMPLES.get(i);
                String id = accepted.path("messages").get(i).path("id").asText();
                String user = user(i);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(harness.network.received(user)).as(sample.name()).hasSize(1));
                UserMessage received = harness.network.received(user).getFirst();
                assertThat(received.messageId()).as(sample.name()).isEqualTo(Ids.parse(id));
                assertThat(received.type()).as(sample.name()).isEqualTo(sample.type());
                assertThat(JSON.readTree(received.payload())).as(sample.name() + " as the user got it")
                        .isEqualTo(JSON.readTree(sample.object()));
                assertThat(received.context()).as(sample.name() + " replies to")
                        .isEqualTo(sample.replyTo() == null ? "" : sample.replyTo());

                JsonNode stored = harness.api.get("/v1/messages/" + id, token).body();
                assertThat(stored.path("type").asText()).isEqualTo(sample.type());
                assertThat(stored.get(sample.type())).as(sample.name() + " read back").isEqualTo(JSON.readTree(sample.object()));
                assertThat(stored.path("context").path("message_id").asText(null)).isEqualTo(sample.replyTo());
            }
        }
    }

    static String user(int i) {
        return "+1555000" + String.format("%04d", 100 + i);
    }

    /** The message a customer posts: the Cloud API's fields, with our {@code from}. */
    static ObjectNode message(Sample sample, String to) throws Exception {
        ObjectNode message = JSON.createObjectNode().put("messaging_product", "whatsapp")
                .put("recipient_type", "individual").put("from", NUMBER).put("to", to).put("type", sample.type());
        message.set(sample.type(), JSON.readTree(sample.object()));
        if (sample.replyTo() != null) message.putObject("context").put("message_id", sample.replyTo());
        return message;
    }
}
