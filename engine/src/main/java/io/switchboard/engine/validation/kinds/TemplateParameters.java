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
 * media ({@code image}, {@code document}, {@code video}: the media object without a caption) and, on buttons,
 * {@code payload}. A parameter may carry a {@code parameter_name} (named parameters).
 *
 * <p>Text limits, from Meta's template message documentation: a header text parameter at most 60 characters; a body
 * text parameter at most 1,024 characters, or 32,768 when the body is the template's only component. Parameter names
 * follow the same documentation: lowercase letters and underscores, at most 20 characters.
 */
final class TemplateParameters {
    static final int MAX_HEADER_TEXT = 60;
    static final int MAX_BODY_TEXT = 1_024;
    static final int MAX_BODY_ONLY_TEXT = 32_768;
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z_]{1,20}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Map<String, MediaKind> MEDIA = Map.of("image", MediaKind.IMAGE.withoutCaption(),
            "document", MediaKind.DOCUMENT.withoutCaption(), "video", MediaKind.VIDEO.withoutCaption());

    private TemplateParameters() {}

    static void header(JsonNode parameters, String path) {
        check(parameters.get(0), Fields.item(path, 0),
                Set.of("text", "currency", "date_time", "image", "document", "video"), MAX_HEADER_TEXT);
    }

    static void body(JsonNode parameters, String path, boolean bodyOnly) {
        for (int i = 0; i < parameters.size(); i++) {
            check(parameters.get(i), Fields.item(path, i), Set.of("text", "currency", "date_time"),
                    bodyOnly ? MAX_BODY_ONLY_TEXT : MAX_BODY_TEXT);
        }
    }

    static void button(JsonNode parameters, String path, String type) {
        check(parameters.get(0), Fields.item(path, 0), Set.of(type), Integer.MAX_VALUE);
    }

    private static void check(JsonNode parameter, String path, Set<String> types, int maxText) {
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
            case "currency" -> currency(Fields.object(parameter, "currency", path), Fields.path(path, "currency"));
            case "date_time" -> {
                JsonNode dateTime = Fields.object(parameter, "date_time", path);
                Fields.only(dateTime, Fields.path(path, "date_time"), Set.of("fallback_value"));
                Fields.text(dateTime, "fallback_value", Fields.path(path, "date_time"), Integer.MAX_VALUE);
            }
            default -> MEDIA.get(type).check(parameter.get(type), Fields.path(path, type));
        }
    }

    private static void currency(JsonNode currency, String path) {
        Fields.only(currency, path, Set.of("fallback_value", "code", "amount_1000"));
        Fields.text(currency, "fallback_value", path, Integer.MAX_VALUE);
        String code = Fields.text(currency, "code", path, 3);
        if (!CURRENCY.matcher(code).matches()) {
            throw new InvalidInput("invalid_currency", Fields.path(path, "code")
                    + " must be an ISO 4217 code such as USD or INR, got '" + code + "'", Fields.path(path, "code"));
        }
        JsonNode amount = currency.get("amount_1000");
        String field = Fields.path(path, "amount_1000");
        if (amount == null || amount.isNull()) throw Fields.missing(field);
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw new InvalidInput("invalid_type", field + " must be a whole number: the amount times 1000", field);
        }
    }
}
