package io.switchboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A template as Meta's creation call takes it ({@code POST /{waba_id}/message_templates}), checked to Meta's rules:
 * a name of lowercase letters, digits and underscores (at most 512), a language code, a category (MARKETING, UTILITY
 * or AUTHENTICATION), and its components, at most one of each type: {@code HEADER} (format TEXT, with a text of at
 * most 60 characters, IMAGE, VIDEO, DOCUMENT or LOCATION), {@code BODY} (a text of at most 1,024; an authentication
 * template's is Meta's own), {@code FOOTER} (at most 60), {@code BUTTONS} (1 to 10, each of Meta's types, a label of
 * at most 25), {@code CAROUSEL} (up to 10 cards of components) and {@code LIMITED_TIME_OFFER}. Types are Meta's
 * upper-case words; lower case is taken as well, as Meta does.
 */
final class TemplateDefinitions {
    /** A checked template: its name, language, category (upper case) and components as given. */
    record Definition(String name, String language, String category, JsonNode components) {}

    static final int MAX_NAME = 512;
    static final int MAX_HEADER_TEXT = 60;
    static final int MAX_BODY_TEXT = 1_024;
    static final int MAX_FOOTER_TEXT = 60;
    static final int MAX_BUTTONS = 10;
    static final int MAX_BUTTON_TEXT = 25;
    static final int MAX_CARDS = 10;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    private static final Set<String> FIELDS = Set.of("name", "language", "category", "components",
            "allow_category_change", "parameter_format", "message_send_ttl_seconds");
    private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    private static final Set<String> TYPES = Set.of("HEADER", "BODY", "FOOTER", "BUTTONS", "CAROUSEL", "LIMITED_TIME_OFFER");
    private static final Set<String> CARD_TYPES = Set.of("HEADER", "BODY", "BUTTONS");
    private static final Set<String> HEADER_FORMATS = Set.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION");
    private static final Set<String> CARD_HEADER_FORMATS = Set.of("IMAGE", "VIDEO");
    private static final Set<String> BUTTON_TYPES = Set.of("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP",
            "FLOW", "CATALOG", "MPM", "VOICE_CALL");

    private TemplateDefinitions() {}

    static Definition check(JsonNode body) {
        Fields.requireObject(body, "");
        Fields.only(body, "", FIELDS);
        String name = Fields.text(body, "name", "", MAX_NAME);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInput("invalid_template_name", "name must be lowercase letters, digits and underscores, as"
                    + " Meta names templates; got '" + name + "'", "name");
        }
        String language = Fields.text(body, "language", "", 10);
        if (!LANGUAGE.matcher(language).matches()) {
            throw new InvalidInput("invalid_language", "language must be a code such as en or en_US, got '" + language
                    + "'", "language");
        }
        String category = upper(body, "category", "", CATEGORIES);
        JsonNode components = Fields.array(body, "components", "", 1, TYPES.size());
        components(components, "components", category.equals("AUTHENTICATION"), false);
        return new Definition(name, language, category, components);
    }

    /** The components of a template or of a carousel card ({@code inCard}): one of each type, one body. */
    private static void components(JsonNode components, String path, boolean authentication, boolean inCard) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            String at = Fields.item(path, i);
            JsonNode component = Fields.requireObject(components.get(i), at);
            String type = upper(component, "type", at, inCard ? CARD_TYPES : TYPES);
            if (!seen.add(type)) {
                throw new InvalidInput("duplicate", at + " is a second " + type + " component; a template has one",
                        Fields.path(at, "type"));
            }
            switch (type) {
                case "HEADER" -> {
                    String format = upper(component, "format", at, inCard ? CARD_HEADER_FORMATS : HEADER_FORMATS);
                    if (format.equals("TEXT")) Fields.text(component, "text", at, MAX_HEADER_TEXT);
                }
                case "BODY" -> {
                    if (authentication) Fields.optionalText(component, "text", at, MAX_BODY_TEXT);
                    else Fields.text(component, "text", at, MAX_BODY_TEXT);
                }
                case "FOOTER" -> {
                    if (authentication) Fields.optionalText(component, "text", at, MAX_FOOTER_TEXT);
                    else Fields.text(component, "text", at, MAX_FOOTER_TEXT);
                }
                case "BUTTONS" -> buttons(Fields.array(component, "buttons", at, 1, MAX_BUTTONS), Fields.path(at, "buttons"));
                case "CAROUSEL" -> {
                    JsonNode cards = Fields.array(component, "cards", at, 1, MAX_CARDS);
                    for (int c = 0; c < cards.size(); c++) {
                        String cardAt = Fields.item(Fields.path(at, "cards"), c);
                        JsonNode card = Fields.requireObject(cards.get(c), cardAt);
                        components(Fields.array(card, "components", cardAt, 1, CARD_TYPES.size()),
                                Fields.path(cardAt, "components"), false, true);
                    }
                }
                default -> Fields.object(component, "limited_time_offer", at);
            }
        }
        if (!inCard && !seen.contains("BODY")) throw Fields.missing(path + "[BODY]");
    }

    private static void buttons(JsonNode buttons, String path) {
        for (int i = 0; i < buttons.size(); i++) {
            String at = Fields.item(path, i);
            JsonNode button = Fields.requireObject(buttons.get(i), at);
            String type = upper(button, "type", at, BUTTON_TYPES);
            if (type.equals("OTP") || type.equals("COPY_CODE")) Fields.optionalText(button, "text", at, MAX_BUTTON_TEXT);
            else Fields.text(button, "text", at, MAX_BUTTON_TEXT);
        }
    }

    /** A required word of {@code values}, in upper case or lower. */
    private static String upper(JsonNode parent, String name, String path, Set<String> values) {
        String word = Fields.text(parent, name, path, Integer.MAX_VALUE).toUpperCase(Locale.ROOT);
        if (!values.contains(word)) {
            throw new InvalidInput("unsupported_value", Fields.path(path, name) + " is '" + parent.get(name).asText()
                    + "'; it must be one of " + String.join(", ", values.stream().sorted().toList()), Fields.path(path, name));
        }
        return word;
    }
}
