package io.switchboard.app.messages;

import static io.switchboard.app.messages.Messaging.NUMBER;
import static io.switchboard.app.messages.Messaging.map;
import static io.switchboard.app.messages.Messaging.withPart;
import static io.switchboard.app.messages.Messaging.withParts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.app.demo.ApiClient;
import io.switchboard.app.media.Uploads;
import io.switchboard.app.testing.Harness;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation limit, tried from both sides of its boundary: the message at the limit is accepted (202), the one
 * just past it is refused with a 400 that names the field by its JSON path and the limit, and writes nothing.
 */
class MessageLimitsTest {
    private static final String USER = "+15550000042";

    @TempDir static Path tempDir;
    static Harness harness;
    static String token;
    /** An uploaded video: a message may name media by id only when it exists. */
    static String video;

    @BeforeAll
    static void start() throws Exception {
        Messaging.ProjectNode node = Messaging.start(TestStores.Kind.EMBEDDED, tempDir, "Limits", 500);
        harness = node.harness();
        token = node.token();
        video = new Uploads(harness.node.httpPort()).uploaded(token, NUMBER, Uploads.file(1_000), "video/mp4");
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    /**
     * {@code ok} is accepted; {@code bad} differs from it only past the limit and is refused with {@code code} on
     * {@code field}; the error's message names {@code limit} (a number, or another word that explains).
     */
    static Arguments limit(String name, Object ok, Object bad, String code, String field, String limit) {
        return Arguments.of(name, ok, bad, code, field, limit);
    }

    static Stream<Arguments> limits() {
        long now = System.currentTimeMillis();
        return Stream.of(
                // text
                limit("text body 4,096", text(x(4_096)), text(x(4_097)), "body_too_long", "text.body", "4096"),
                limit("text body not empty", text("a"), text(""), "empty_body", "text.body", "non-empty"),
                limit("text body counts characters, not bytes", text("👍".repeat(4_096)), text("👍".repeat(4_097)),
                        "body_too_long", "text.body", "4096"),
                limit("preview_url a boolean", msg("text", map("body", "hi", "preview_url", true)),
                        msg("text", map("body", "hi", "preview_url", "yes")), "invalid_type", "text.preview_url", "true or false"),
                // media
                limit("image caption 1,024", media("image", "caption", x(1_024)), media("image", "caption", x(1_025)),
                        "too_long", "image.caption", "1024"),
                limit("video caption 1,024", media("video", "caption", x(1_024)), media("video", "caption", x(1_025)),
                        "too_long", "video.caption", "1024"),
                limit("document caption 1,024", media("document", "caption", x(1_024)),
                        media("document", "caption", x(1_025)), "too_long", "document.caption", "1024"),
                limit("document filename 240", media("document", "filename", x(236) + ".pdf"),
                        media("document", "filename", x(237) + ".pdf"), "too_long", "document.filename", "240"),
                limit("no caption on audio", media("audio"), media("audio", "caption", "hi"), "unknown_field",
                        "audio.caption", "link"),
                limit("no caption on a sticker", media("sticker"), media("sticker", "caption", "hi"), "unknown_field",
                        "sticker.caption", "link"),
                limit("no filename on an image", media("image"), media("image", "filename", "a.png"), "unknown_field",
                        "image.filename", "caption"),
                limit("media: link or id, not both", media("image"),
                        msg("image", map("link", "https://cdn.example.com/a.png", "id", "0ABCDEFGHJKMN")),
                        "ambiguous_media", "image.id", "exactly one"),
                limit("media: link or id, not neither", media("image"), msg("image", map("caption", "where?")),
                        "missing_media", "image.link", "exactly one"),
                limit("media link http or https", msg("image", map("link", "http://cdn.example.com/a.png")),
                        msg("image", map("link", "ftp://cdn.example.com/a.png")), "invalid_link", "image.link", "http"),
                limit("media id of 13 characters", msg("video", map("id", video)),
                        msg("video", map("id", "0123456789AB")), "invalid_media_id", "video.id", "13"),
                // location
                limit("latitude up to 90", location(90, 0), location(90.000_1, 0), "out_of_range", "location.latitude", "90"),
                limit("latitude down to -90", location(-90, 0), location(-90.5, 0), "out_of_range", "location.latitude", "-90"),
                limit("longitude up to 180", location(0, 180), location(0, 180.5), "out_of_range", "location.longitude", "180"),
                limit("longitude down to -180", location(0, -180), location(0, -181), "out_of_range", "location.longitude", "-180"),
                limit("latitude as a numeric string", msg("location", map("latitude", "37.44", "longitude", "-122.16")),
                        msg("location", map("latitude", "north", "longitude", "-122.16")), "invalid_type",
                        "location.latitude", "decimal degrees"),
                // contacts
                limit("257 contacts", contacts(257), contacts(258), "too_many", "contacts", "257"),
                limit("at least one contact", contacts(1), contacts(0), "too_few", "contacts", "1"),
                limit("a contact's formatted_name", contacts(1),
                        msg("contacts", List.of(map("name", map("first_name", "Asha")))), "missing_field",
                        "contacts[0].name.formatted_name", "required"),
                limit("a contact's birthday as YYYY-MM-DD", msg("contacts", List.of(map("name", map("formatted_name", "A"),
                                "birthday", "1999-01-23"))),
                        msg("contacts", List.of(map("name", map("formatted_name", "A"), "birthday", "23/01/1999"))),
                        "invalid_date", "contacts[0].birthday", "YYYY-MM-DD"),
                // interactive: reply buttons
                limit("button message body 1,024", buttons(x(1_024), button("a", "A")), buttons(x(1_025), button("a", "A")),
                        "too_long", "interactive.body.text", "1024"),
                limit("3 reply buttons", buttons("Pick", button("a", "A"), button("b", "B"), button("c", "C")),
                        buttons("Pick", button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")),
                        "too_many", "interactive.action.buttons", "3"),
                limit("at least 1 reply button", buttons("Pick", button("a", "A")), buttons("Pick"), "too_few",
                        "interactive.action.buttons", "1"),
                limit("button title 20", buttons("Pick", button("a", "A"), button("b", x(20))),
                        buttons("Pick", button("a", "A"), button("b", x(21))), "too_long",
                        "interactive.action.buttons[1].reply.title", "20"),
                limit("button id 256", buttons("Pick", button(x(256), "A")), buttons("Pick", button(x(257), "A")),
                        "too_long", "interactive.action.buttons[0].reply.id", "256"),
                limit("button titles unique", buttons("Pick", button("a", "Yes"), button("b", "No")),
                        buttons("Pick", button("a", "Yes"), button("b", "Yes")), "duplicate",
                        "interactive.action.buttons[1].reply.title", "unique"),
                limit("button ids unique", buttons("Pick", button("a", "Yes"), button("b", "No")),
                        buttons("Pick", button("a", "Yes"), button("a", "No")), "duplicate",
                        "interactive.action.buttons[1].reply.id", "unique"),
                limit("header text 60", withInteractive(buttons("Pick", button("a", "A")), "header", map("type", "text", "text", x(60))),
                        withInteractive(buttons("Pick", button("a", "A")), "header", map("type", "text", "text", x(61))),
                        "too_long", "interactive.header.text", "60"),
                limit("footer 60", withInteractive(buttons("Pick", button("a", "A")), "footer", map("text", x(60))),
                        withInteractive(buttons("Pick", button("a", "A")), "footer", map("text", x(61))),
                        "too_long", "interactive.footer.text", "60"),
                // interactive: list
                limit("list body 4,096", list(x(4_096), "Menu", section(null, row("r1"))),
                        list(x(4_097), "Menu", section(null, row("r1"))), "too_long", "interactive.body.text", "4096"),
                limit("list button 20", list("Pick", x(20), section(null, row("r1"))),
                        list("Pick", x(21), section(null, row("r1"))), "too_long", "interactive.action.button", "20"),
                limit("10 sections", list("Pick", "Menu", sections(10, 1)), list("Pick", "Menu", sections(11, 1)),
                        "too_many", "interactive.action.sections", "10"),
                limit("10 rows in all sections", list("Pick", "Menu", sections(2, 5)), list("Pick", "Menu", sections(2, 5, 1)),
                        "too_many", "interactive.action.sections[2].rows[0]", "10"),
                limit("row title 24", list("Pick", "Menu", section(null, row("r1", x(24), null))),
                        list("Pick", "Menu", section(null, row("r1", x(25), null))), "too_long",
                        "interactive.action.sections[0].rows[0].title", "24"),
                limit("row description 72", list("Pick", "Menu", section(null, row("r1", "T", x(72)))),
                        list("Pick", "Menu", section(null, row("r1", "T", x(73)))), "too_long",
                        "interactive.action.sections[0].rows[0].description", "72"),
                limit("row id 200", list("Pick", "Menu", section(null, row(x(200)))),
                        list("Pick", "Menu", section(null, row(x(201)))), "too_long",
                        "interactive.action.sections[0].rows[0].id", "200"),
                limit("row ids unique", list("Pick", "Menu", section("A", row("r1")), section("B", row("r2"))),
                        list("Pick", "Menu", section("A", row("r1")), section("B", row("r1"))), "duplicate",
                        "interactive.action.sections[1].rows[0].id", "unique"),
                limit("section title 24", list("Pick", "Menu", section(x(24), row("r1")), section("B", row("r2"))),
                        list("Pick", "Menu", section(x(25), row("r1")), section("B", row("r2"))), "too_long",
                        "interactive.action.sections[0].title", "24"),
                limit("section title needed with two sections", list("Pick", "Menu", section(null, row("r1"))),
                        list("Pick", "Menu", section(null, row("r1")), section("B", row("r2"))), "missing_field",
                        "interactive.action.sections[0].title", "required"),
                limit("a list header is text only",
                        withInteractive(list("Pick", "Menu", section(null, row("r1"))), "header", map("type", "text", "text", "Hi")),
                        withInteractive(list("Pick", "Menu", section(null, row("r1"))), "header",
                                map("type", "image", "image", map("link", "https://cdn.example.com/a.png"))),
                        "unsupported_value", "interactive.header.type", "text"),
                limit("interactive types as Meta names them", buttons("Pick", button("a", "A")),
                        msg("interactive", map("type", "carousel", "body", map("text", "x"), "action", map())),
                        "unsupported_value", "interactive.type", "cta_url"),
                // interactive: CTA URL, location request, flow, product, product list, catalog
                limit("CTA URL button label 20", ctaUrl(x(20), "https://shop.example.com/a"),
                        ctaUrl(x(21), "https://shop.example.com/a"), "too_long",
                        "interactive.action.parameters.display_text", "20"),
                limit("CTA URL an http or https URL", ctaUrl("Open", "https://shop.example.com/a"),
                        ctaUrl("Open", "ftp://shop.example.com/a"), "invalid_link", "interactive.action.parameters.url",
                        "http or https"),
                limit("a location request has no footer", locationRequest(null), locationRequest(map("text", "Thanks")),
                        "unknown_field", "interactive.footer", "no footer"),
                limit("a location request's action is send_location", locationRequest(null),
                        msg("interactive", map("type", "location_request_message", "body", map("text", "Where?"),
                                "action", map("name", "send_location_now"))), "unsupported_value",
                        "interactive.action.name", "send_location"),
                limit("flow button label 30", flow(map("flow_cta", x(30))), flow(map("flow_cta", x(31))), "too_long",
                        "interactive.action.parameters.flow_cta", "30"),
                limit("a flow by id or by name, not both", flow(map()), flow(map("flow_name", "signup")),
                        "ambiguous_flow", "interactive.action.parameters.flow_name", "exactly one"),
                limit("a flow that navigates names its screen", flow(map()), flow(map("flow_action_payload", map())),
                        "missing_field", "interactive.action.parameters.flow_action_payload.screen", "required"),
                limit("a product's body is optional, its catalog is not",
                        msg("interactive", map("type", "product", "action", map("catalog_id", "c1", "product_retailer_id", "p1"))),
                        msg("interactive", map("type", "product", "action", map("product_retailer_id", "p1"))),
                        "missing_field", "interactive.action.catalog_id", "required"),
                limit("30 products in a product list", productList(3, 10), productList(3, 10, 1), "too_many",
                        "interactive.action.sections[3].product_items[0]", "30"),
                limit("a product list has a text header", productList(1, 1),
                        msg("interactive", map("type", "product_list", "body", map("text", "Pick"), "action",
                                map("catalog_id", "c1", "sections", List.of(map("product_items",
                                        List.of(map("product_retailer_id", "p1"))))))),
                        "missing_field", "interactive.header", "required"),
                // template
                limit("template name 512", template(x(512)), template(x(513)), "too_long", "template.name", "512"),
                limit("template name as Meta writes it", template("order_shipped_2"), template("Order Shipped"),
                        "invalid_template_name", "template.name", "lowercase"),
                limit("template language code", template("t"), msg("template", map("name", "t", "language", map())),
                        "missing_field", "template.language.code", "required"),
                limit("template header text parameter 60",
                        template("t", component("header", textParameter(x(60)))),
                        template("t", component("header", textParameter(x(61)))), "too_long",
                        "template.components[0].parameters[0].text", "60"),
                limit("template body text parameter 1,024 beside other components",
                        template("t", component("header", textParameter("h")), component("body", textParameter(x(1_024)))),
                        template("t", component("header", textParameter("h")), component("body", textParameter(x(1_025)))),
                        "too_long", "template.components[1].parameters[0].text", "1024"),
                limit("template body text parameter 32,768 when the body is alone",
                        template("t", component("body", textParameter(x(32_768)))),
                        template("t", component("body", textParameter(x(32_769)))), "too_long",
                        "template.components[0].parameters[0].text", "32768"),
                limit("template currency code ISO 4217",
                        template("t", component("body", currency("USD"))), template("t", component("body", currency("usd"))),
                        "invalid_currency", "template.components[0].parameters[0].currency.code", "ISO 4217"),
                limit("template button index 9", template("t", quickReply(9)), template("t", quickReply(10)),
                        "out_of_range", "template.components[0].index", "9"),
                limit("template parameter types", template("t", component("body", textParameter("a"))),
                        template("t", component("body", map("type", "location", "location", map()))),
                        "unsupported_value", "template.components[0].parameters[0].type", "currency, date_time, text"),
                limit("template header location", template("t", component("header", map("type", "location",
                                "location", map("latitude", 12.97, "longitude", 77.59, "name", "Store")))),
                        template("t", component("header", map("type", "location", "location", map("latitude", 91,
                                "longitude", 0)))), "out_of_range", "template.components[0].parameters[0].location.latitude", "90"),
                limit("template copy code 15", template("t", button("copy_code", 0, map("type", "coupon_code", "coupon_code", x(15)))),
                        template("t", button("copy_code", 0, map("type", "coupon_code", "coupon_code", x(16)))), "too_long",
                        "template.components[0].parameters[0].coupon_code", "15"),
                limit("template multi-product button needs its thumbnail",
                        template("t", button("mpm", 0, map("type", "action", "action", map("thumbnail_product_retailer_id",
                                "p1", "sections", List.of(map("title", "S", "product_items", List.of(map("product_retailer_id", "p1")))))))),
                        template("t", button("mpm", 0, map("type", "action", "action", map("sections", List.of(map("title", "S",
                                "product_items", List.of(map("product_retailer_id", "p1")))))))), "missing_field",
                        "template.components[0].parameters[0].action.thumbnail_product_retailer_id", "required"),
                limit("template limited-time offer's end in milliseconds",
                        template("t", component("limited_time_offer", offer(1_767_225_600_000L))),
                        template("t", component("limited_time_offer", offer("tomorrow"))), "invalid_type",
                        "template.components[0].parameters[0].limited_time_offer.expiration_time_ms", "whole number"),
                limit("template carousel 10 cards", template("t", carousel(10)), template("t", carousel(11)), "too_many",
                        "template.components[0].cards", "10"),
                limit("template carousel card header an image or a video", template("t", carousel(1)),
                        template("t", map("type", "carousel", "cards", List.of(map("card_index", 0, "components",
                                List.of(component("header", textParameter("h"))))))), "unsupported_value",
                        "template.components[0].cards[0].components[0].parameters[0].type", "image, video"),
                limit("template carousel card indexes unique", template("t", carousel(2)),
                        template("t", map("type", "carousel", "cards", List.of(card(0), card(0)))), "duplicate",
                        "template.components[0].cards[1].card_index", "unique"),
                // reaction
                limit("reaction: one emoji", reaction("👍🏽"), reaction("👍👍"), "invalid_emoji", "reaction.emoji", "one emoji"),
                limit("reaction: an emoji, not a letter", reaction("🇮🇳"), reaction("a"), "invalid_emoji", "reaction.emoji",
                        "one emoji"),
                limit("reaction: \"\" removes one", reaction(""), msg("reaction", map("message_id", "wamid.x")),
                        "missing_field", "reaction.emoji", "required"),
                limit("reaction: message_id", reaction("❤️"), msg("reaction", map("emoji", "❤️")), "missing_field",
                        "reaction.message_id", "required"),
                // what every message has
                limit("context message_id 128", withPart(text("hi"), "context", map("message_id", x(128))),
                        withPart(text("hi"), "context", map("message_id", x(129))), "too_long", "context.message_id", "128"),
                limit("ttl up to 30 days", withPart(text("hi"), "ttl", 2_592_000), withPart(text("hi"), "ttl", 2_592_001),
                        "out_of_range", "ttl", "2592000"),
                limit("ttl at least a second", withPart(text("hi"), "ttl", 1), withPart(text("hi"), "ttl", 0),
                        "out_of_range", "ttl", "1"),
                limit("schedule_at up to 30 days ahead",
                        withPart(text("hi"), "schedule_at", iso(now + Duration.ofDays(30).minusMinutes(5).toMillis())),
                        withPart(text("hi"), "schedule_at", iso(now + Duration.ofDays(30).plusMinutes(5).toMillis())),
                        "too_far_ahead", "schedule_at", "30 days"),
                limit("expires_at after now", withPart(text("hi"), "expires_at", iso(now + 60_000)),
                        withPart(text("hi"), "expires_at", iso(now - 60_000)), "expires_too_soon", "expires_at", "never"),
                limit("expires_at after schedule_at",
                        withParts(text("hi"), "schedule_at", iso(now + 120_000), "expires_at", iso(now + 180_000)),
                        withParts(text("hi"), "schedule_at", iso(now + 120_000), "expires_at", iso(now + 60_000)),
                        "expires_too_soon", "expires_at", "schedule_at"),
                limit("expires_at or ttl", withPart(text("hi"), "ttl", 60),
                        withParts(text("hi"), "ttl", 60, "expires_at", iso(now + 60_000)), "conflicting_fields", "ttl",
                        "either"),
                limit("an unknown field", text("hi"), withPart(text("hi"), "schedule", iso(now)), "unknown_field",
                        "schedule", "schedule_at"),
                limit("the kind's object is what is sent: 64 KiB", contactNamed(x(65_000)), contactNamed(x(66_000)),
                        "payload_too_large", "contacts", "65535"),
                limit("messages in a request: 1,000", Map.of("messages", Collections.nCopies(1_000, text("hi"))),
                        Map.of("messages", Collections.nCopies(1_001, text("hi"))), "too_many_messages", "messages", "1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limits")
    void atTheLimitIsAcceptedAndPastItIsRefusedNamingTheFieldAndTheLimit(String name, Object ok, Object bad, String code,
                                                                         String field, String limit) throws Exception {
        ApiClient.Answer accepted = harness.api.post("/v1/messages", token, ok);
        assertThat(accepted.status()).as("at the limit: " + accepted.body()).isEqualTo(202);

        long before = harness.node.messageCount();
        ApiClient.Answer refused = harness.api.post("/v1/messages", token, bad);
        assertThat(refused.status()).as("past the limit: " + refused.body()).isEqualTo(400);
        JsonNode error = refused.body().path("error");
        assertThat(error.path("code").asText()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("field").asText()).as(error.toString()).isEqualTo(field);
        assertThat(error.path("message").asText()).as("the message names the limit").contains(limit);
        assertThat(harness.node.messageCount()).as("nothing written").isEqualTo(before);
    }

    // --- message builders: maps as the JSON a customer writes ---

    static String x(int length) {
        return "x".repeat(length);
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    static Map<String, Object> msg(String type, Object object) {
        return map("from", NUMBER, "to", USER, "type", type, type, object);
    }

    static Map<String, Object> text(String body) {
        return msg("text", map("body", body));
    }

    static Map<String, Object> media(String type, Object... fields) {
        Map<String, Object> object = map("link", "https://cdn.example.com/m/" + type);
        object.putAll(map(fields));
        return msg(type, object);
    }

    static Map<String, Object> location(double latitude, double longitude) {
        return msg("location", map("latitude", latitude, "longitude", longitude));
    }

    static Map<String, Object> contacts(int count) {
        List<Object> contacts = new ArrayList<>();
        for (int i = 0; i < count; i++) contacts.add(map("name", map("formatted_name", "Contact " + i)));
        return msg("contacts", contacts);
    }

    static Map<String, Object> contactNamed(String name) {
        return msg("contacts", List.of(map("name", map("formatted_name", name))));
    }

    static Map<String, Object> button(String id, String title) {
        return map("type", "reply", "reply", map("id", id, "title", title));
    }

    static Map<String, Object> buttons(String body, Object... buttons) {
        return msg("interactive", map("type", "button", "body", map("text", body), "action",
                map("buttons", List.of(buttons))));
    }

    static Map<String, Object> ctaUrl(String label, String url) {
        return msg("interactive", map("type", "cta_url", "body", map("text", "Our spring catalogue"), "action",
                map("name", "cta_url", "parameters", map("display_text", label, "url", url))));
    }

    /** A location request, with a footer when {@code footer} is not null. */
    static Map<String, Object> locationRequest(Map<String, Object> footer) {
        Map<String, Object> interactive = new LinkedHashMap<>(map("type", "location_request_message",
                "body", map("text", "Where should we deliver?"), "action", map("name", "send_location")));
        if (footer != null) interactive.put("footer", footer);
        return msg("interactive", interactive);
    }

    /** A flow message by id that opens its first screen, with {@code changed} parameters over those. */
    static Map<String, Object> flow(Map<String, Object> changed) {
        Map<String, Object> parameters = new LinkedHashMap<>(map("flow_message_version", "3", "flow_id", "1234567890",
                "flow_cta", "Sign up", "flow_action", "navigate", "flow_action_payload", map("screen", "WELCOME")));
        parameters.putAll(changed);
        return msg("interactive", map("type", "flow", "body", map("text", "Join our club"), "action",
                map("name", "flow", "parameters", parameters)));
    }

    /** A product list of {@code sections} sections of {@code perSection} products, then sections of {@code more}. */
    static Map<String, Object> productList(int sections, int perSection, int... more) {
        List<Object> all = new ArrayList<>();
        int product = 0;
        for (int s = 0; s < sections + more.length; s++) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < (s < sections ? perSection : more[s - sections]); i++) {
                items.add(map("product_retailer_id", "p" + product++));
            }
            all.add(map("title", "Section " + s, "product_items", items));
        }
        return msg("interactive", map("type", "product_list", "header", map("type", "text", "text", "Our plants"),
                "body", map("text", "Pick yours"), "action", map("catalog_id", "c1", "sections", all)));
    }

    static Map<String, Object> withInteractive(Map<String, Object> interactiveMessage, String part, Map<String, Object> value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> interactive = new LinkedHashMap<>((Map<String, Object>) interactiveMessage.get("interactive"));
        interactive.put(part, value);
        return withPart(interactiveMessage, "interactive", interactive);
    }

    static Map<String, Object> row(String id) {
        return row(id, "Row " + id.length(), null);
    }

    static Map<String, Object> row(String id, String title, String description) {
        return map("id", id, "title", title, "description", description);
    }

    static Map<String, Object> section(String title, Object... rows) {
        return map("title", title, "rows", List.of(rows));
    }

    /** Sections titled S0, S1, ... with the given numbers of rows, every row id unique. */
    static Object[] sections(int count, int rowsEach) {
        int[] rows = new int[count];
        java.util.Arrays.fill(rows, rowsEach);
        return sections(rows);
    }

    static Object[] sections(int first, int rowsEach, int lastRows) {
        int[] rows = new int[first + 1];
        java.util.Arrays.fill(rows, rowsEach);
        rows[first] = lastRows;
        return sections(rows);
    }

    private static Object[] sections(int[] rows) {
        Object[] sections = new Object[rows.length];
        for (int s = 0; s < rows.length; s++) {
            Object[] sectionRows = new Object[rows[s]];
            for (int r = 0; r < rows[s]; r++) sectionRows[r] = row("s" + s + "r" + r, "Row " + r, null);
            sections[s] = section("S" + s, sectionRows);
        }
        return sections;
    }

    static Map<String, Object> list(String body, String button, Object... sections) {
        return msg("interactive", map("type", "list", "body", map("text", body), "action",
                map("button", button, "sections", List.of(sections))));
    }

    static Map<String, Object> template(String name, Object... components) {
        return msg("template", map("name", name, "language", map("code", "en_US"),
                "components", components.length == 0 ? null : List.of(components)));
    }

    static Map<String, Object> component(String type, Object... parameters) {
        return map("type", type, "parameters", List.of(parameters));
    }

    static Map<String, Object> textParameter(String text) {
        return map("type", "text", "text", text);
    }

    static Map<String, Object> currency(String code) {
        return map("type", "currency", "currency", map("fallback_value", "$1.50", "code", code, "amount_1000", 1_500));
    }

    static Map<String, Object> button(String subType, int index, Object parameter) {
        return map("type", "button", "sub_type", subType, "index", String.valueOf(index), "parameters", List.of(parameter));
    }

    static Map<String, Object> offer(Object expiresAt) {
        return map("type", "limited_time_offer", "limited_time_offer", map("expiration_time_ms", expiresAt));
    }

    static Map<String, Object> carousel(int cards) {
        return map("type", "carousel", "cards", java.util.stream.IntStream.range(0, cards).mapToObj(i -> card(i)).toList());
    }

    static Map<String, Object> card(int index) {
        return map("card_index", index, "components", List.of(component("header", map("type", "image", "image",
                map("link", "https://cdn.example.com/" + index + ".jpg"))), quickReply(0)));
    }

    static Map<String, Object> quickReply(int index) {
        return map("type", "button", "sub_type", "quick_reply", "index", String.valueOf(index),
                "parameters", List.of(map("type", "payload", "payload", "P")));
    }

    static Map<String, Object> reaction(String emoji) {
        return msg("reaction", map("message_id", "wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZC", "emoji", emoji));
    }
}
