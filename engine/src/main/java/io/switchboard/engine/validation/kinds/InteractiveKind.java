package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * {@code "interactive":{"type","header","body","footer","action"}}: the parts every type shares, and which of them each
 * type takes; the action of each is checked by {@link ReplyButtons}, {@link ListAction} or {@link InteractiveActions}.
 *
 * <p>Limits, from Meta's interactive message pages: the body at most 1,024 characters (4,096 with a list), required
 * but for a single product; the footer at most 60; a text header at most 60. Buttons, a CTA URL and a flow take a text,
 * image, video or document header; a list only a text one; a product list must have a text one; a location request,
 * a product and a catalog none, and a location request no footer. Media in a header has no caption.
 */
final class InteractiveKind implements Kind {
    static final int MAX_BUTTON_BODY = 1_024;
    static final int MAX_LIST_BODY = 4_096;
    static final int MAX_FOOTER = 60;
    static final int MAX_HEADER_TEXT = 60;
    private static final Set<String> FIELDS = Set.of("type", "header", "body", "footer", "action");
    private static final Set<String> ANY_HEADER = Set.of("text", "image", "video", "document");
    private static final Map<String, MediaKind> HEADER_MEDIA = Map.of("image", MediaKind.IMAGE.withoutCaption(),
            "video", MediaKind.VIDEO.withoutCaption(), "document", MediaKind.DOCUMENT.withoutCaption());

    /** What one interactive type takes: its headers (empty: none), whether it needs one, body, footer, its action. */
    private record Shape(Set<String> headers, boolean headerRequired, boolean bodyRequired, int maxBody, boolean footer,
                         BiConsumer<JsonNode, String> action) {}

    private static final Map<String, Shape> SHAPES = Map.of(
            "button", new Shape(ANY_HEADER, false, true, MAX_BUTTON_BODY, true, ReplyButtons::check),
            "list", new Shape(Set.of("text"), false, true, MAX_LIST_BODY, true, ListAction::check),
            "cta_url", new Shape(ANY_HEADER, false, true, MAX_BUTTON_BODY, true, InteractiveActions::ctaUrl),
            "location_request_message", new Shape(Set.of(), false, true, MAX_BUTTON_BODY, false,
                    InteractiveActions::locationRequest),
            "flow", new Shape(ANY_HEADER, false, true, MAX_BUTTON_BODY, true, InteractiveActions::flow),
            "product", new Shape(Set.of(), false, false, MAX_BUTTON_BODY, true, InteractiveActions::product),
            "product_list", new Shape(Set.of("text"), true, true, MAX_BUTTON_BODY, true, InteractiveActions::productList),
            "catalog_message", new Shape(Set.of(), false, true, MAX_BUTTON_BODY, true, InteractiveActions::catalog));
    private static final Set<String> TYPES = new TreeSet<>(SHAPES.keySet());

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, FIELDS);
        Shape shape = SHAPES.get(Fields.oneOf(value, "type", path, TYPES));
        JsonNode body = shape.bodyRequired() ? Fields.object(value, "body", path) : Fields.optionalObject(value, "body", path);
        if (body != null) {
            Fields.only(body, Fields.path(path, "body"), Set.of("text"));
            Fields.text(body, "text", Fields.path(path, "body"), shape.maxBody());
        }
        JsonNode footer = Fields.optionalObject(value, "footer", path);
        if (footer != null) {
            if (!shape.footer()) throw notTaken(value, path, "footer");
            Fields.only(footer, Fields.path(path, "footer"), Set.of("text"));
            Fields.text(footer, "text", Fields.path(path, "footer"), MAX_FOOTER);
        }
        JsonNode header = shape.headerRequired() ? Fields.object(value, "header", path)
                : Fields.optionalObject(value, "header", path);
        if (header != null) {
            if (shape.headers().isEmpty()) throw notTaken(value, path, "header");
            header(header, Fields.path(path, "header"), shape.headers());
        }
        shape.action().accept(Fields.object(value, "action", path), Fields.path(path, "action"));
    }

    private static InvalidInput notTaken(JsonNode value, String path, String part) {
        String field = Fields.path(path, part);
        return new InvalidInput("unknown_field", field + ": a " + value.path("type").asText() + " message has no " + part,
                field);
    }

    private static void header(JsonNode header, String path, Set<String> types) {
        String type = Fields.oneOf(header, "type", path, types);
        Fields.only(header, path, Set.of("type", type));
        if (type.equals("text")) {
            Fields.text(header, "text", path, MAX_HEADER_TEXT);
        } else {
            HEADER_MEDIA.get(type).check(header.get(type), Fields.path(path, type));
        }
    }

    /** Ids and titles a user taps must tell the choices apart. */
    static void unique(Set<String> seen, String value, String field) {
        if (!seen.add(value)) throw Fields.duplicate(field, value);
    }

    /** Meta: a button or row id "cannot have leading or trailing spaces". */
    static void trimmed(String id, String field) {
        if (!id.equals(id.strip())) {
            throw new InvalidInput("invalid_id", field + " must not start or end with spaces", field);
        }
    }
}
