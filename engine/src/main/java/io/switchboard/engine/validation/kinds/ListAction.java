package io.switchboard.engine.validation.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.validation.Fields;
import io.switchboard.engine.validation.InvalidInput;
import java.util.HashSet;
import java.util.Set;

/**
 * The action of an interactive {@code list} message: {@code {"button","sections":[{"title","rows":[...]}]}}. Meta's
 * "interactive list messages" page: the button label at most 20 characters; up to 10 sections "with up to 10 rows for
 * all sections combined"; a section title at most 24 characters, required when there is more than one section; a row
 * id at most 200 characters, a row title at most 24, a row description at most 72. Row ids pick the row a user chose,
 * so they must be unique in the message.
 */
final class ListAction {
    static final int MAX_BUTTON = 20;
    static final int MAX_SECTIONS = 10;
    static final int MAX_ROWS = 10;
    static final int MAX_SECTION_TITLE = 24;
    static final int MAX_ROW_ID = 200;
    static final int MAX_ROW_TITLE = 24;
    static final int MAX_ROW_DESCRIPTION = 72;

    private ListAction() {}

    static void check(JsonNode action, String path) {
        Fields.only(action, path, Set.of("button", "sections"));
        Fields.text(action, "button", path, MAX_BUTTON);
        JsonNode sections = Fields.array(action, "sections", path, 1, MAX_SECTIONS);
        Set<String> ids = new HashSet<>();
        int rows = 0;
        for (int s = 0; s < sections.size(); s++) {
            String at = Fields.item(Fields.path(path, "sections"), s);
            JsonNode section = Fields.requireObject(sections.get(s), at);
            Fields.only(section, at, Set.of("title", "rows"));
            if (sections.size() > 1) Fields.text(section, "title", at, MAX_SECTION_TITLE);
            else Fields.optionalText(section, "title", at, MAX_SECTION_TITLE);
            JsonNode sectionRows = Fields.array(section, "rows", at, 1, MAX_ROWS);
            for (int r = 0; r < sectionRows.size(); r++) {
                String rowAt = Fields.item(Fields.path(at, "rows"), r);
                if (++rows > MAX_ROWS) {
                    throw new InvalidInput("too_many", rowAt + " is row " + rows + "; the limit is " + MAX_ROWS
                            + " rows in all sections together", rowAt);
                }
                row(Fields.requireObject(sectionRows.get(r), rowAt), rowAt, ids);
            }
        }
    }

    private static void row(JsonNode row, String path, Set<String> ids) {
        Fields.only(row, path, Set.of("id", "title", "description"));
        String id = Fields.text(row, "id", path, MAX_ROW_ID);
        InteractiveKind.trimmed(id, Fields.path(path, "id"));
        InteractiveKind.unique(ids, id, Fields.path(path, "id"));
        Fields.text(row, "title", path, MAX_ROW_TITLE);
        Fields.optionalText(row, "description", path, MAX_ROW_DESCRIPTION);
    }
}
