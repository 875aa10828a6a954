package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** The business profiles of the numbers on the simulated network, one per number. */
public final class BusinessProfiles {
    private static final String COLUMNS = "number, project_id, about, address, description, email, websites, vertical, "
            + "picture_media_id, updated_at";
    private final Database database;

    public BusinessProfiles(Database database) {
        this.database = database;
    }

    /** The project's number's profile; an empty one when it has none (or the number is another project's). */
    public BusinessProfile find(String projectId, String number) {
        return database.withConnection(c -> Sql.queryOne(c, "SELECT " + COLUMNS
                        + " FROM business_profiles WHERE number = ? AND project_id = ?", BusinessProfiles::map, number,
                projectId)).orElseGet(() -> BusinessProfile.empty(number, projectId));
    }

    /** Saves the profile whole, replacing what the number had. */
    public void put(BusinessProfile profile) {
        database.inTransaction(c -> {
            Sql.update(c, "DELETE FROM business_profiles WHERE number = ?", profile.number());
            return Sql.update(c, "INSERT INTO business_profiles (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    profile.number(), profile.projectId(), profile.about(), profile.address(), profile.description(),
                    profile.email(), String.join("\n", profile.websites()), profile.vertical(), profile.pictureMediaId(),
                    profile.updatedAt());
        });
    }

    private static BusinessProfile map(ResultSet row) throws SQLException {
        String websites = row.getString("websites");
        List<String> list = websites.isEmpty() ? List.of() : Arrays.asList(websites.split("\n"));
        return new BusinessProfile(row.getString("number"), row.getString("project_id"), row.getString("about"),
                row.getString("address"), row.getString("description"), row.getString("email"), list,
                row.getString("vertical"), row.getLong("picture_media_id"), row.getLong("updated_at"));
    }
}
