package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code "template":{"name","language":{"code","policy"},"components":[...]}}: a template approved by Meta, filled
 * in. The template's own text lives at Meta, so only its name and the parameters can be checked here.
 *
 * <p>From Meta's template pages: a name of at most 512 characters of lowercase letters, digits and underscores; a
 * language code such as {@code en} or {@code en_US} (policy {@code deterministic}, if given); components {@code header}
 * (one parameter: text, currency, date_time, image, document or video), {@code body} (text, currency or date_time)
 * and {@code button} ({@code sub_type} quick_reply with a payload, or url with a text; {@code index} 0 to 9, as a
 * template has at most 10 buttons). Each parameter is checked by {@link TemplateParameters}.
 */
final class TemplateKind implements Kind {
    static final int MAX_NAME = 512;
    static final int MAX_BUTTON_INDEX = 9;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    private static final Set<String> COMPONENT_TYPES = Set.of("header", "body", "button");

    @Override
    public void check(JsonNode value, String path) {
        Fields.requireObject(value, path);
        Fields.only(value, path, Set.of("name", "language", "components"));
        String name = Fields.text(value, "name", path, MAX_NAME);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInput("invalid_template_name", Fields.path(path, "name")
                    + " must be lowercase letters, digits and underscores, as Meta names templates; got '" + name + "'",
                    Fields.path(path, "name"));
        }
        language(Fields.object(value, "language", path), Fields.path(path, "language"));
        JsonNode components = Fields.optionalArray(value, "components", path, 2 + MAX_BUTTON_INDEX + 1);
        if (components == null) return;
        boolean bodyOnly = components.size() == 1;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            String at = Fields.item(Fields.path(path, "components"), i);
            JsonNode component = Fields.requireObject(components.get(i), at);
            String type = Fields.oneOf(component, "type", at, COMPONENT_TYPES);
            switch (type) {
                case "header" -> {
                    Fields.only(component, at, Set.of("type", "parameters"));
                    TemplateParameters.header(Fields.array(component, "parameters", at, 1, 1), Fields.path(at, "parameters"));
                }
                case "body" -> {
                    Fields.only(component, at, Set.of("type", "parameters"));
                    TemplateParameters.body(Fields.array(component, "parameters", at, 1, Integer.MAX_VALUE),
                            Fields.path(at, "parameters"), bodyOnly);
                }
                default -> type = "button " + button(component, at);
            }
            if (!seen.add(type)) {
                throw new InvalidInput("duplicate", at + " is a second " + type + " component; a template has one",
                        Fields.path(at, "type"));
            }
        }
    }

    private static void language(JsonNode language, String path) {
        Fields.only(language, path, Set.of("code", "policy"));
        String code = Fields.text(language, "code", path, 10);
        if (!LANGUAGE.matcher(code).matches()) {
            throw new InvalidInput("invalid_language", Fields.path(path, "code")
                    + " must be a language code such as en or en_US, got '" + code + "'", Fields.path(path, "code"));
        }
        if (language.has("policy")) Fields.oneOf(language, "policy", path, Set.of("deterministic"));
    }

    /** Checks a button component and answers its index. */
    private static int button(JsonNode component, String at) {
        Fields.only(component, at, Set.of("type", "sub_type", "index", "parameters"));
        String subType = Fields.oneOf(component, "sub_type", at, Set.of("quick_reply", "url"));
        String field = Fields.path(at, "index");
        JsonNode index = component.get("index");
        if (index == null || index.isNull()) throw Fields.missing(field);
        int number;
        try {
            number = index.isIntegralNumber() ? index.asInt() : Integer.parseInt(index.asText());
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (!(index.isIntegralNumber() || index.isTextual()) || number < 0 || number > MAX_BUTTON_INDEX) {
            throw new InvalidInput("out_of_range", field + " must be a button position from 0 to " + MAX_BUTTON_INDEX,
                    field);
        }
        TemplateParameters.button(Fields.array(component, "parameters", at, 1, 1), Fields.path(at, "parameters"),
                subType.equals("url") ? "text" : "payload");
        return number;
    }
}
