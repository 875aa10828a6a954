package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code "template":{"name","language":{"code","policy"},"components":[...]}}: a template approved by Meta, filled
 * in. The template's own text lives at Meta (or in the node's registry), so only its name and the parameters can be
 * checked here.
 *
 * <p>From Meta's template pages: a name of at most 512 characters of lowercase letters, digits and underscores; a
 * language code such as {@code en} or {@code en_US} (policy {@code deterministic}, if given); components
 * {@code header} (one parameter: text, currency, date_time, image, document, video or location), {@code body} (text,
 * currency or date_time), {@code button} ({@code sub_type} quick_reply, url, copy_code, flow, catalog or mpm;
 * {@code index} 0 to 9, as a template has at most 10 buttons), {@code limited_time_offer} (the offer's expiry) and
 * {@code carousel} (up to 10 {@code cards}, each a {@code card_index} and its own header of an image or a video, body
 * and quick-reply or URL buttons). Each parameter is checked by {@link TemplateParameters}.
 */
final class TemplateKind implements Kind {
    static final int MAX_NAME = 512;
    static final int MAX_BUTTON_INDEX = 9;
    static final int MAX_CARDS = 10;
    /** A card's components: its header, body and two buttons. */
    static final int MAX_CARD_COMPONENTS = 4;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    private static final Set<String> COMPONENT_TYPES = Set.of("header", "body", "button", "carousel", "limited_time_offer");
    private static final Set<String> CARD_COMPONENT_TYPES = Set.of("header", "body", "button");
    /** The parameter each kind of button takes. */
    private static final Map<String, String> BUTTON_PARAMETERS = Map.of("quick_reply", "payload", "url", "text",
            "copy_code", "coupon_code", "flow", "action", "catalog", "action", "mpm", "action");
    private static final Set<String> CARD_BUTTONS = Set.of("quick_reply", "url");

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
        JsonNode components = Fields.optionalArray(value, "components", path, COMPONENT_TYPES.size() + MAX_BUTTON_INDEX);
        if (components != null) components(components, Fields.path(path, "components"), false);
    }

    /** The components of a template, or of one of its carousel's cards ({@code inCard}). */
    private static void components(JsonNode components, String path, boolean inCard) {
        boolean bodyOnly = components.size() == 1;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            String at = Fields.item(path, i);
            JsonNode component = Fields.requireObject(components.get(i), at);
            String type = Fields.oneOf(component, "type", at, inCard ? CARD_COMPONENT_TYPES : COMPONENT_TYPES);
            String parametersAt = Fields.path(at, "parameters");
            String one = switch (type) {
                case "header" -> {
                    Fields.only(component, at, Set.of("type", "parameters"));
                    TemplateParameters.header(Fields.array(component, "parameters", at, 1, 1), parametersAt, inCard);
                    yield type;
                }
                case "body" -> {
                    Fields.only(component, at, Set.of("type", "parameters"));
                    TemplateParameters.body(Fields.array(component, "parameters", at, 1, Integer.MAX_VALUE),
                            parametersAt, bodyOnly);
                    yield type;
                }
                case "limited_time_offer" -> {
                    Fields.only(component, at, Set.of("type", "parameters"));
                    TemplateParameters.limitedTimeOffer(Fields.array(component, "parameters", at, 1, 1), parametersAt);
                    yield type;
                }
                case "carousel" -> {
                    carousel(component, at);
                    yield type;
                }
                default -> "button " + button(component, at, inCard);
            };
            if (!seen.add(one)) {
                throw new InvalidInput("duplicate", at + " is a second " + one + " component; a template has one",
                        Fields.path(at, "type"));
            }
        }
    }

    /** {@code {"type":"carousel","cards":[{"card_index","components":[...]}]}}, each card at its own index. */
    private static void carousel(JsonNode component, String at) {
        Fields.only(component, at, Set.of("type", "cards"));
        JsonNode cards = Fields.array(component, "cards", at, 1, MAX_CARDS);
        Set<Integer> indexes = new HashSet<>();
        for (int c = 0; c < cards.size(); c++) {
            String cardAt = Fields.item(Fields.path(at, "cards"), c);
            JsonNode card = Fields.requireObject(cards.get(c), cardAt);
            Fields.only(card, cardAt, Set.of("card_index", "components"));
            int index = index(card, "card_index", cardAt, MAX_CARDS - 1);
            if (!indexes.add(index)) throw Fields.duplicate(Fields.path(cardAt, "card_index"), String.valueOf(index));
            components(Fields.array(card, "components", cardAt, 1, MAX_CARD_COMPONENTS), Fields.path(cardAt, "components"),
                    true);
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
    private static int button(JsonNode component, String at, boolean inCard) {
        Fields.only(component, at, Set.of("type", "sub_type", "index", "parameters"));
        String subType = Fields.oneOf(component, "sub_type", at, inCard ? CARD_BUTTONS : BUTTON_PARAMETERS.keySet());
        int index = index(component, "index", at, MAX_BUTTON_INDEX);
        TemplateParameters.button(Fields.array(component, "parameters", at, 1, 1), Fields.path(at, "parameters"),
                subType, BUTTON_PARAMETERS.get(subType));
        return index;
    }

    /** A position from 0 to {@code max}, written as a number or, as Meta's examples do, as a string of one. */
    private static int index(JsonNode parent, String name, String at, int max) {
        String field = Fields.path(at, name);
        JsonNode index = parent.get(name);
        if (index == null || index.isNull()) throw Fields.missing(field);
        int number;
        try {
            number = index.isIntegralNumber() ? index.asInt() : Integer.parseInt(index.asText());
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (!(index.isIntegralNumber() || index.isTextual()) || number < 0 || number > max) {
            throw new InvalidInput("out_of_range", field + " must be a position from 0 to " + max, field);
        }
        return number;
    }
}
