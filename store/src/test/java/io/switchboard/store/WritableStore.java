package io.switchboard.store;

import io.switchboard.store.db.Database;
import io.switchboard.store.testing.TestStores;
import io.switchboard.store.write.WriteBatcher;
import java.nio.file.Path;

/** A fresh store of one kind, migrated, with its message reads and its writer; closed in reverse. */
record WritableStore(TestStores.TestStore store, Database database, WriteBatcher writer, Messages messages)
        implements AutoCloseable {
    static WritableStore open(TestStores.Kind kind, Path tempDir) {
        TestStores.TestStore store = TestStores.open(kind, tempDir);
        Database database = Database.open(store.url(), store.user(), store.password());
        return new WritableStore(store, database, new WriteBatcher(database, 500), new Messages(database));
    }

    @Override
    public void close() throws Exception {
        writer.close();
        database.close();
        store.close();
    }
}
