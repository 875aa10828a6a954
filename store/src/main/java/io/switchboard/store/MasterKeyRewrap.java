package io.switchboard.store;

import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import io.switchboard.store.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Seals again, under the current master key, every value sealed under another one, a page at a time in small
 * transactions, while nodes run. Data keys are wrapped again; what they seal (message bodies, callbacks, media, contact
 * names) is not touched. A value already under the current key is left as it is, so a second run, or one after a
 * crash, does only what is left. A value is replaced only if it is still the one read: one a node changed meanwhile
 * (a rotated signing secret) is counted as changed and left to the node, which seals under its own current key.
 */
public final class MasterKeyRewrap {
    private static final int PAGE = 100;

    /** What the rewrap did to one kind of value. */
    public record Count(String kind, int rewrapped, int alreadyCurrent, int changedMeanwhile) {}

    private interface Rewrapper {
        Optional<byte[]> rewrap(String rowKey, byte[] sealed);
    }

    /**
     * One column of sealed values: its table, the row key's column, which rows ({@code filter}), whether the value is
     * kept as base64 text (a setting) rather than bytes, and how one is rewrapped, given its row key.
     */
    private record Column(String kind, String table, String keyColumn, String column, String filter, boolean base64,
                          Rewrapper rewrapper) {
        byte[] read(ResultSet row) throws SQLException {
            return base64 ? Base64.getDecoder().decode(row.getString(2)) : row.getBytes(2);
        }

        Object stored(byte[] sealed) {
            return base64 ? Base64.getEncoder().encodeToString(sealed) : sealed;
        }
    }

    private record Sealed(String rowKey, byte[] value) {}

    private record Replacement(String rowKey, byte[] old, byte[] fresh) {}

    private final Database database;
    private final List<Column> columns;

    public MasterKeyRewrap(Database database, Vault vault) {
        this.database = database;
        String storeKeys = StoreKeys.ALL.stream().map(name -> "'" + StoreKeys.settingName(name) + "'")
                .collect(Collectors.joining(", "));
        this.columns = List.of(
                new Column("data keys", "numbers", "number", "data_key", "", false, vault::rewrapDataKey),
                new Column("webhook signing secrets", "projects", "id", "webhook_secret", "", false,
                        (id, sealed) -> vault.rewrapSecret(SealedSecrets.owner(id), sealed)),
                new Column("previous webhook signing secrets", "projects", "id", "webhook_previous_secret", "", false,
                        (id, sealed) -> vault.rewrapSecret(SealedSecrets.owner(id), sealed)),
                new Column("upstream access tokens", "number_upstreams", "number", "access_token", "", false,
                        (number, sealed) -> vault.rewrapSecret(CloudUpstream.owner(number, "access_token"), sealed)),
                new Column("upstream app secrets", "number_upstreams", "number", "app_secret", "", false,
                        (number, sealed) -> vault.rewrapSecret(CloudUpstream.owner(number, "app_secret"), sealed)),
                new Column("store keys", "settings", "name", "val", " AND name IN (" + storeKeys + ")", true,
                        (name, sealed) -> vault.rewrapSecret(StoreKeys.keyName(name), sealed)),
                new Column("master key check", "settings", "name", "val",
                        " AND name = '" + Settings.MASTER_KEY_CHECK + "'", true, (name, sealed) -> vault.rewrapKeyCheck(sealed)));
    }

    /** Rewraps every kind in turn; answers what it did, kind by kind. */
    public List<Count> run() {
        return columns.stream().map(this::rewrap).toList();
    }

    private Count rewrap(Column column) {
        String select = "SELECT " + column.keyColumn() + ", " + column.column() + " FROM " + column.table() + " WHERE "
                + column.column() + " IS NOT NULL AND " + column.keyColumn() + " > ?" + column.filter()
                + " ORDER BY " + column.keyColumn() + " LIMIT " + PAGE;
        String update = "UPDATE " + column.table() + " SET " + column.column() + " = ? WHERE " + column.keyColumn()
                + " = ? AND " + column.column() + " = ?";
        int rewrapped = 0;
        int current = 0;
        int changed = 0;
        String after = "";
        List<Sealed> page;
        do {
            String from = after;
            page = database.withConnection(c -> Sql.query(c, select,
                    row -> new Sealed(row.getString(1), column.read(row)), from));
            List<Replacement> replacements = new ArrayList<>();
            for (Sealed sealed : page) {
                Optional<byte[]> fresh = column.rewrapper().rewrap(sealed.rowKey(), sealed.value());
                if (fresh.isPresent()) replacements.add(new Replacement(sealed.rowKey(), sealed.value(), fresh.get()));
                else current++;
            }
            int replaced = database.inTransaction(c -> {
                int done = 0;
                for (Replacement r : replacements) {
                    done += Sql.update(c, update, column.stored(r.fresh()), r.rowKey(), column.stored(r.old()));
                }
                return done;
            });
            rewrapped += replaced;
            changed += replacements.size() - replaced;
            if (!page.isEmpty()) after = page.getLast().rowKey();
        } while (page.size() == PAGE);
        return new Count(column.kind(), rewrapped, current, changed);
    }
}
