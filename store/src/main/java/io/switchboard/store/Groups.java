package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The copies of the groups, per project; every read names the project, so one never sees another's. */
public final class Groups {
    private static final String COLUMNS = "project_id, group_id, number, subject, description, members, admins, invite, "
            + "created_at, updated_at";
    private final Database database;

    public Groups(Database database) {
        this.database = database;
    }

    /** Stores the group as the network answered it: a new one, or over the copy kept so far (its creation time stays). */
    public void save(ChatGroup group) {
        database.inTransaction(c -> {
            int updated = Sql.update(c, "UPDATE chat_groups SET subject = ?, description = ?, members = ?, admins = ?, "
                    + "invite = ?, updated_at = ? WHERE project_id = ? AND group_id = ?", group.subject(),
                    group.description(), lines(group.members()), lines(group.admins()), group.invite(),
                    group.updatedAt(), group.projectId(), group.id());
            if (updated == 0) {
                Sql.update(c, "INSERT INTO chat_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        group.projectId(), group.id(), group.number(), group.subject(), group.description(),
                        lines(group.members()), lines(group.admins()), group.invite(), group.createdAt(),
                        group.updatedAt());
            }
            return null;
        });
    }

    public Optional<ChatGroup> find(String projectId, String groupId) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT " + COLUMNS + " FROM chat_groups WHERE project_id = ? "
                + "AND group_id = ?", Groups::map, projectId, groupId));
    }

    /** The project's groups after {@code after} (null: from the first), in id order, at most {@code limit}. */
    public List<ChatGroup> page(String projectId, String after, int limit) {
        return database.withConnection(c -> Sql.query(c, "SELECT " + COLUMNS + " FROM chat_groups WHERE project_id = ? "
                + "AND group_id > ? ORDER BY group_id LIMIT " + limit, Groups::map, projectId, after == null ? "" : after));
    }

    public void delete(String projectId, String groupId) {
        database.withConnection(c -> Sql.update(c, "DELETE FROM chat_groups WHERE project_id = ? AND group_id = ?",
                projectId, groupId));
    }

    private static String lines(List<String> users) {
        return String.join("\n", users);
    }

    private static List<String> users(String lines) {
        return lines.isEmpty() ? List.of() : Arrays.asList(lines.split("\n"));
    }

    private static ChatGroup map(ResultSet row) throws SQLException {
        return new ChatGroup(row.getString("project_id"), row.getString("group_id"), row.getString("number"),
                row.getString("subject"), row.getString("description"), users(row.getString("members")),
                users(row.getString("admins")), row.getString("invite"), row.getLong("created_at"),
                row.getLong("updated_at"));
    }
}
