package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.HashSet;
import java.util.Set;

/**
 * The actions of the interactive types beyond buttons and lists, as Meta's message pages give them:
 * <ul>
 * <li>{@code cta_url} ("interactive CTA URL button messages"): {@code {"name":"cta_url","parameters":{"display_text",
 * "url"}}}, the button label at most 20 characters, the URL http or https;
 * <li>{@code location_request_message}: {@code {"name":"send_location"}};
 * <li>{@code flow} ("send a flow"): {@code {"name":"flow","parameters":{"flow_message_version":"3","flow_token",
 * "flow_id"|"flow_name","flow_cta","flow_action":"navigate"|"data_exchange","flow_action_payload":{"screen","data"},
 * "mode":"draft"|"published"}}}, the button label at most 30 characters, exactly one of the flow's id or name, and a
 * screen to open when the action is {@code navigate};
 * <li>{@code product} ("single-product messages"): {@code {"catalog_id","product_retailer_id"}};
 * <li>{@code product_list} ("multi-product messages"): {@code {"catalog_id","sections":[{"title","product_items":
 * [{"product_retailer_id"}]}]}}, up to 10 sections and 30 products in all, a section title at most 24 characters and
 * required when there are several;
 * <li>{@code catalog_message}: {@code {"name":"catalog_message","parameters":{"thumbnail_product_retailer_id"}}}.
 * </ul>
 */
final class InteractiveActions {
    static final int MAX_CTA_LABEL = 20;
    static final int MAX_FLOW_CTA = 30;
    static final int MAX_SECTIONS = 10;
    static final int MAX_PRODUCTS = 30;
    static final int MAX_SECTION_TITLE = 24;
    /** Our bound on ids Meta gives no length for (catalog, product, flow ids and tokens). */
    static final int MAX_ID = 512;

    private InteractiveActions() {}

    static void ctaUrl(JsonNode action, String path) {
        JsonNode parameters = named(action, path, "cta_url", true);
        String at = Fields.path(path, "parameters");
        Fields.only(parameters, at, Set.of("display_text", "url"));
        Fields.text(parameters, "display_text", at, MAX_CTA_LABEL);
        MediaKind.checkLink(Fields.text(parameters, "url", at, MediaKind.MAX_LINK), Fields.path(at, "url"));
    }

    static void locationRequest(JsonNode action, String path) {
        named(action, path, "send_location", false);
    }

    static void flow(JsonNode action, String path) {
        JsonNode parameters = named(action, path, "flow", true);
        String at = Fields.path(path, "parameters");
        Fields.only(parameters, at, Set.of("flow_message_version", "flow_token", "flow_id", "flow_name", "flow_cta",
                "flow_action", "flow_action_payload", "mode"));
        Fields.oneOf(parameters, "flow_message_version", at, Set.of("3"));
        Fields.optionalText(parameters, "flow_token", at, MAX_ID);
        String id = Fields.optionalText(parameters, "flow_id", at, MAX_ID);
        String name = Fields.optionalText(parameters, "flow_name", at, MAX_ID);
        if ((id == null) == (name == null)) {
            String field = Fields.path(at, id == null ? "flow_id" : "flow_name");
            throw new InvalidInput(id == null ? "missing_field" : "ambiguous_flow", at
                    + " needs exactly one of flow_id or flow_name", field);
        }
        Fields.text(parameters, "flow_cta", at, MAX_FLOW_CTA);
        if (parameters.has("mode")) Fields.oneOf(parameters, "mode", at, Set.of("draft", "published"));
        String flowAction = parameters.has("flow_action")
                ? Fields.oneOf(parameters, "flow_action", at, Set.of("navigate", "data_exchange")) : "navigate";
        JsonNode payload = Fields.optionalObject(parameters, "flow_action_payload", at);
        if (payload != null) {
            String payloadAt = Fields.path(at, "flow_action_payload");
            Fields.only(payload, payloadAt, Set.of("screen", "data"));
            Fields.optionalText(payload, "screen", payloadAt, MAX_ID);
            Fields.optionalObject(payload, "data", payloadAt);
        }
        if (flowAction.equals("navigate") && (payload == null || !payload.has("screen"))) {
            throw Fields.missing(Fields.path(Fields.path(at, "flow_action_payload"), "screen"));
        }
    }

    static void product(JsonNode action, String path) {
        Fields.only(action, path, Set.of("catalog_id", "product_retailer_id"));
        Fields.text(action, "catalog_id", path, MAX_ID);
        Fields.text(action, "product_retailer_id", path, MAX_ID);
    }

    static void productList(JsonNode action, String path) {
        Fields.only(action, path, Set.of("catalog_id", "sections"));
        Fields.text(action, "catalog_id", path, MAX_ID);
        productSections(action, path);
    }

    /**
     * The {@code sections} of a multi-product message or a template's multi-product button: up to 10, each with its
     * products, 30 products in all.
     */
    static void productSections(JsonNode action, String path) {
        JsonNode sections = Fields.array(action, "sections", path, 1, MAX_SECTIONS);
        Set<String> products = new HashSet<>();
        for (int s = 0; s < sections.size(); s++) {
            String at = Fields.item(Fields.path(path, "sections"), s);
            JsonNode section = Fields.requireObject(sections.get(s), at);
            Fields.only(section, at, Set.of("title", "product_items"));
            if (sections.size() > 1) Fields.text(section, "title", at, MAX_SECTION_TITLE);
            else Fields.optionalText(section, "title", at, MAX_SECTION_TITLE);
            JsonNode items = Fields.array(section, "product_items", at, 1, MAX_PRODUCTS);
            for (int i = 0; i < items.size(); i++) {
                String itemAt = Fields.item(Fields.path(at, "product_items"), i);
                JsonNode item = Fields.requireObject(items.get(i), itemAt);
                Fields.only(item, itemAt, Set.of("product_retailer_id"));
                String id = Fields.text(item, "product_retailer_id", itemAt, MAX_ID);
                InteractiveKind.unique(products, id, Fields.path(itemAt, "product_retailer_id"));
                if (products.size() > MAX_PRODUCTS) {
                    throw new InvalidInput("too_many", itemAt + " is product " + products.size() + "; the limit is "
                            + MAX_PRODUCTS + " products in all sections together", itemAt);
                }
            }
        }
    }

    static void catalog(JsonNode action, String path) {
        JsonNode parameters = named(action, path, "catalog_message", false);
        if (parameters == null) return;
        String at = Fields.path(path, "parameters");
        Fields.only(parameters, at, Set.of("thumbnail_product_retailer_id"));
        Fields.optionalText(parameters, "thumbnail_product_retailer_id", at, MAX_ID);
    }

    /** An action {@code {"name": name, "parameters": {...}}}: its parameters (null when optional and absent). */
    private static JsonNode named(JsonNode action, String path, String name, boolean parametersRequired) {
        Fields.only(action, path, Set.of("name", "parameters"));
        Fields.oneOf(action, "name", path, Set.of(name));
        return parametersRequired ? Fields.object(action, "parameters", path)
                : Fields.optionalObject(action, "parameters", path);
    }
}
