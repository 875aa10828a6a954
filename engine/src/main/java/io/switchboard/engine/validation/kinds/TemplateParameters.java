package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of a template's components: {@code {"type":"text","text":...}}, {@code currency}
 * ({@code fallback_value}, an ISO 4217 {@code code}, {@code amount_1000}), {@code date_time} ({@code fallback_value}),
 * media ({@code image}, {@code document}, {@code video}: the media object without a caption), {@code location} (a
 * header's map pin) and, on buttons, {@code payload} (quick reply), {@code coupon_code} (copy code) or {@code action}
 * (flow: {@code flow_token}, {@code flow_action_data}; catalog: {@code thumbnail_product_retailer_id}; multi-product:
 * that and its {@code sections}); a limited-time offer's {@code expiration_time_ms}. A parameter may carry a
 * {@code parameter_name} (named parameters).
 *
 * <p>Text limits, from Meta's template message documentation: a header text parameter at most 60 characters; a body
 * text parameter at most 1,024 characters, or 32,768 when the body is the template's only component; a coupon code at
 * most 15 characters. Parameter names follow the same documentation: lowercase letters and underscores, at most 20
 * characters. A carousel card's header is an image or a video.
 */
final class TemplateParameters {
    static final int MAX_HEADER_TEXT = 60;
    static final int MAX_BODY_TEXT = 1_024;
    static final int MAX_BODY_ONLY_TEXT = 32_768;
    static final int MAX_COUPON_CODE = 15;
    private static final LocationKind LOCATION = new LocationKind();
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z_]{1,20}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Map<String, MediaKind> MEDIA = Map.of("image", MediaKind.IMAGE.withoutCaption(),
            "document", MediaKind.DOCUMENT.withoutCaption(), "video", MediaKind.VIDEO.withoutCaption());

    private TemplateParameters() {}

    static void header(JsonNode parameters, String path, boolean inCard) {
        check(parameters.get(0), Fields.item(path, 0), inCard ? Set.of("image", "video")
                : Set.of("text", "currency", "date_time", "image", "document", "video", "location"), MAX_HEADER_TEXT);
    }

    static void body(JsonNode parameters, String path, boolean bodyOnly) {
        for (int i = 0; i < parameters.size(); i++) {
            check(parameters.get(i), Fields.item(path, i), Set.of("text", "currency", "date_time"),
                    bodyOnly ? MAX_BODY_ONLY_TEXT : MAX_BODY_TEXT);
        }
    }

    /** A button's one parameter, of the {@code type} its {@code subType} takes. */
    static void button(JsonNode parameters, String path, String subType, String type) {
        String at = Fields.item(path, 0);
        JsonNode parameter = check(parameters.get(0), at, Set.of(type), Integer.MAX_VALUE);
        if (type.equals("action")) action(Fields.object(parameter, "action", at), Fields.path(at, "action"), subType);
    }

    /** {@code {"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms"}}}: when the offer ends. */
    static void limitedTimeOffer(JsonNode parameters, String path) {
        String at = Fields.item(path, 0);
        JsonNode offer = Fields.object(check(parameters.get(0), at, Set.of("limited_time_offer"), 0), "limited_time_offer", at);
        String offerAt = Fields.path(at, "limited_time_offer");
        Fields.only(offer, offerAt, Set.of("expiration_time_ms"));
        wholeNumber(offer, "expiration_time_ms", offerAt, "the offer's end, in milliseconds since 1970");
    }

    /** The action of a flow, catalog or multi-product ({@code mpm}) button. */
    private static void action(JsonNode action, String path, String subType) {
        switch (subType) {
            case "flow" -> {
                Fields.only(action, path, Set.of("flow_token", "flow_action_data"));
                Fields.optionalText(action, "flow_token", path, InteractiveActions.MAX_ID);
                Fields.optionalObject(action, "flow_action_data", path);
            }
            case "catalog" -> {
                Fields.only(action, path, Set.of("thumbnail_product_retailer_id"));
                Fields.optionalText(action, "thumbnail_product_retailer_id", path, InteractiveActions.MAX_ID);
            }
            default -> { // mpm
                Fields.only(action, path, Set.of("thumbnail_product_retailer_id", "sections"));
                Fields.text(action, "thumbnail_product_retailer_id", path, InteractiveActions.MAX_ID);
                InteractiveActions.productSections(action, path);
            }
        }
    }

    /** Checks a parameter of one of {@code types} and answers it. */
    private static JsonNode check(JsonNode parameter, String path, Set<String> types, int maxText) {
        Fields.requireObject(parameter, path);
        String type = Fields.oneOf(parameter, "type", path, types);
        Fields.only(parameter, path, Set.of("type", type, "parameter_name"));
        String name = Fields.optionalText(parameter, "parameter_name", path);
        if (name != null && !PARAMETER_NAME.matcher(name).matches()) {
            throw new InvalidInput("invalid_parameter_name", Fields.path(path, "parameter_name")
                    + " must be 1 to 20 lowercase letters or underscores, got '" + name + "'",
                    Fields.path(path, "parameter_name"));
        }
        switch (type) {
            case "text" -> Fields.text(parameter, "text", path, maxText);
            case "payload" -> Fields.text(parameter, "payload", path, Integer.MAX_VALUE);
            case "coupon_code" -> Fields.text(parameter, "coupon_code", path, MAX_COUPON_CODE);
            case "location" -> LOCATION.check(parameter.get("location"), Fields.path(path, "location"));
            case "action", "limited_time_offer" -> { } // checked by the caller, which knows what it takes
            case "currency" -> currency(Fields.object(parameter, "currency", path), Fields.path(path, "currency"));
            case "date_time" -> {
                JsonNode dateTime = Fields.object(parameter, "date_time", path);
                Fields.only(dateTime, Fields.path(path, "date_time"), Set.of("fallback_value"));
                Fields.text(dateTime, "fallback_value", Fields.path(path, "date_time"), Integer.MAX_VALUE);
            }
            default -> MEDIA.get(type).check(parameter.get(type), Fields.path(path, type));
        }
        return parameter;
    }

    private static void currency(JsonNode currency, String path) {
        Fields.only(currency, path, Set.of("fallback_value", "code", "amount_1000"));
        Fields.text(currency, "fallback_value", path, Integer.MAX_VALUE);
        String code = Fields.text(currency, "code", path, 3);
        if (!CURRENCY.matcher(code).matches()) {
            throw new InvalidInput("invalid_currency", Fields.path(path, "code")
                    + " must be an ISO 4217 code such as USD or INR, got '" + code + "'", Fields.path(path, "code"));
        }
        wholeNumber(currency, "amount_1000", path, "the amount times 1000");
    }

    private static void wholeNumber(JsonNode parent, String name, String path, String meaning) {
        JsonNode value = parent.get(name);
        String field = Fields.path(path, name);
        if (value == null || value.isNull()) throw Fields.missing(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInput("invalid_type", field + " must be a whole number: " + meaning, field);
        }
    }
}
