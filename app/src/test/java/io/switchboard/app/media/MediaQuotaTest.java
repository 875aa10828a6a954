package io.switchboard.app.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.app.testing.Harness;
import io.switchboard.network.sim.SimConfig;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A project's uploaded media have a storage quota: an upload that does not fit is refused with 507 naming the field,
 * nothing of it stays stored, other projects upload as before, and deleting media makes room again.
 */
class MediaQuotaTest {
    private static final String NUMBER = "+919800000001";
    private static final String OTHER_NUMBER = "+919800000002";
    private static final int FILE = 600 * 1024;

    @TempDir Path tempDir;

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anUploadPastTheProjectsQuotaIsRefusedAndStoresNothing(TestStores.Kind kind) throws Exception {
        try (Harness harness = new Harness(kind, tempDir, SimConfig.defaults(), Map.of("media.quota-mb-per-project", 1))) {
            String shop = harness.project("Shop");
            String other = harness.project("Other");
            harness.number(shop, NUMBER, 100);
            harness.number(other, OTHER_NUMBER, 100);
            Uploads uploads = new Uploads(harness.node.httpPort());

            String first = uploads.uploaded(shop, NUMBER, Uploads.file(FILE), "image/jpeg");
            long rowsBefore = mediaRows(harness);
            Uploads.Answer refused = uploads.upload(shop, NUMBER, Uploads.file(FILE), "image/jpeg");
            assertThat(refused.status()).isEqualTo(507);
            assertThat(refused.code()).isEqualTo("storage_quota_exceeded");
            assertThat(refused.field()).isEqualTo("file");
            assertThat(mediaRows(harness)).as("nothing of it stays").isEqualTo(rowsBefore);

            uploads.uploaded(other, OTHER_NUMBER, Uploads.file(FILE), "image/jpeg"); // another project's room is its own
            assertThat(uploads.delete(shop, first).status()).isEqualTo(204);
            uploads.uploaded(shop, NUMBER, Uploads.file(FILE), "image/jpeg");
        }
    }

    private static long mediaRows(Harness harness) throws Exception {
        try (Connection c = harness.storeConnection();
             PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM media");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
