package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * {@code "contacts":[{...}]}: Meta's contacts messages page. "Each message can include information for up to 257
 * contacts"; each needs {@code name.formatted_name}; everything else is optional: name parts, {@code addresses},
 * {@code birthday} (YYYY-MM-DD), {@code emails}, {@code org}, {@code phones} and {@code urls}, all of strings.
 */
final class ContactsKind implements Kind {
    static final int MAX_CONTACTS = 257;
    private static final Set<String> CONTACT = Set.of("name", "addresses", "birthday", "emails", "org", "phones", "urls");
    private static final Set<String> NAME = Set.of("formatted_name", "first_name", "last_name", "middle_name", "suffix",
            "prefix");
    private static final Set<String> ADDRESS = Set.of("street", "city", "state", "zip", "country", "country_code", "type");
    private static final Set<String> EMAIL = Set.of("email", "type");
    private static final Set<String> ORG = Set.of("company", "department", "title");
    private static final Set<String> PHONE = Set.of("phone", "type", "wa_id");
    private static final Set<String> URL = Set.of("url", "type");

    @Override
    public void check(JsonNode value, String path) {
        if (value == null || value.isNull()) throw Fields.missing(path);
        Fields.count(value, path, 1, MAX_CONTACTS);
        for (int i = 0; i < value.size(); i++) contact(value.get(i), Fields.item(path, i));
    }

    private static void contact(JsonNode contact, String path) {
        Fields.requireObject(contact, path);
        Fields.only(contact, path, CONTACT);
        JsonNode name = Fields.object(contact, "name", path);
        Fields.stringsOnly(name, Fields.path(path, "name"), NAME);
        Fields.text(name, "formatted_name", Fields.path(path, "name"), Integer.MAX_VALUE);
        list(contact, "addresses", path, ADDRESS);
        list(contact, "emails", path, EMAIL);
        list(contact, "phones", path, PHONE);
        list(contact, "urls", path, URL);
        JsonNode org = Fields.optionalObject(contact, "org", path);
        if (org != null) Fields.stringsOnly(org, Fields.path(path, "org"), ORG);
        String birthday = Fields.optionalText(contact, "birthday", path);
        if (birthday != null) {
            try {
                LocalDate.parse(birthday);
            } catch (DateTimeParseException e) {
                String field = Fields.path(path, "birthday");
                throw new InvalidInput("invalid_date", field + " must be a date as YYYY-MM-DD, got '" + birthday + "'",
                        field);
            }
        }
    }

    private static void list(JsonNode contact, String name, String path, Set<String> fields) {
        JsonNode items = Fields.optionalArray(contact, name, path, Integer.MAX_VALUE);
        if (items == null) return;
        for (int i = 0; i < items.size(); i++) {
            String at = Fields.item(Fields.path(path, name), i);
            Fields.stringsOnly(Fields.requireObject(items.get(i), at), at, fields);
        }
    }
}
