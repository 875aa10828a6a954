package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Business profiles on each real database: a profile at Meta's longest (non-ASCII text included) is read back as
 * written, a second one replaces it whole, and another project reads an empty profile for the same number.
 */
class BusinessProfilesTest {
    private static final String NUMBER = "+919800000001";
    @TempDir Path tempDir;

    @ParameterizedTest
    @MethodSource("io.switchboard.store.testing.TestStores#kinds")
    void aProfileAtMetasLimitsIsReadBackAsWrittenAndOnlyByItsProject(TestStores.Kind kind) throws Exception {
        try (WritableStore store = WritableStore.open(kind, tempDir)) {
            BusinessProfiles profiles = new BusinessProfiles(store.database());
            assertThat(profiles.find("p1", NUMBER)).isEqualTo(BusinessProfile.empty(NUMBER, "p1"));

            BusinessProfile longest = new BusinessProfile(NUMBER, "p1", "é".repeat(139), "ऑ".repeat(256),
                    "已".repeat(512), "a".repeat(117) + "@example.in", List.of("https://" + "a".repeat(248),
                    "https://shop.example.in/ऑर्डर"), "RETAIL", 7_000_000_000L, 1_700_000_000_000L);
            profiles.put(longest);
            assertThat(profiles.find("p1", NUMBER)).isEqualTo(longest);

            BusinessProfile changed = new BusinessProfile(NUMBER, "p1", "Open 9 to 5", "", "", "", List.of(), "OTHER", 0, 2);
            profiles.put(changed);
            assertThat(profiles.find("p1", NUMBER)).isEqualTo(changed);
            assertThat(profiles.find("p2", NUMBER)).as("another project's view").isEqualTo(BusinessProfile.empty(NUMBER, "p2"));
        }
    }
}
