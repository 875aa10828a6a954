package io.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.crypto.DataKey;
import io.switchboard.store.crypto.LegacySeals;
import io.switchboard.store.crypto.Vault;
import io.switchboard.store.db.Database;
import io.switchboard.store.testing.TestStores;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rewrap, on each real store: every kind of value sealed under the old master key A (some from before key ids)
 * is sealed again under B, counted per kind, a second run finds nothing left, and B alone then opens everything.
 */
class MasterKeyRewrapTest {
    private static final int NUMBERS = 230; // more than two pages
    private static final int NUMBERS_ALREADY_UNDER_B = 5;
    @TempDir Path tempDir;
    private final byte[] keyA = Base64.getDecoder().decode(Vault.newMasterKey());
    private final byte[] keyB = Base64.getDecoder().decode(Vault.newMasterKey());
    private final Vault onlyA = Vault.of(keyA);
    private final Vault bThenA = Vault.of(keyB, List.of(keyA));
    private final Vault onlyB = Vault.of(keyB);

    static java.util.stream.Stream<TestStores.Kind> kinds() {
        return TestStores.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everySealedValueMovesToTheCurrentKeyAndBAloneThenOpensIt(TestStores.Kind kind) throws Exception {
        try (TestStores.TestStore store = TestStores.open(kind, tempDir);
             Database database = Database.open(store.url(), store.user(), store.password())) {
            Settings settings = new Settings(database);
            settings.putIfAbsent(Settings.MASTER_KEY_CHECK, onlyA.keyCheck());
            byte[] mediaUrlKey = StoreKeys.get(settings, onlyA, StoreKeys.MEDIA_URLS);
            byte[] clusterKey = StoreKeys.get(settings, onlyA, StoreKeys.CLUSTER_CALLS);
            Map<String, byte[]> bodies = numbers(new Numbers(database));
            Projects projects = new Projects(database);
            projects.create(Project.of("p1", "Legacy", null, null, false, 1L), "hash1",
                    LegacySeals.secret(keyA, SealedSecrets.owner("p1"), "whsec_legacy"));
            projects.create(Project.of("p2", "Rotated", null, null, false, 1L), "hash2",
                    onlyA.sealSecret(SealedSecrets.owner("p2"), "whsec_old"));
            projects.rotateSecret("p2", onlyA.sealSecret(SealedSecrets.owner("p2"), "whsec_new"), Long.MAX_VALUE);
            Upstreams upstreams = new Upstreams(database);
            upstreams.put(new CloudUpstream("+919800000001", "p1", "https://graph.example", "v23.0", "1001", "",
                    onlyA.sealSecret(CloudUpstream.owner("+919800000001", "access_token"), "EAAG-token"),
                    LegacySeals.secret(keyA, CloudUpstream.owner("+919800000001", "app_secret"), "app-secret"),
                    "verifyhash", 1L));

            Map<String, MasterKeyRewrap.Count> first = counts(new MasterKeyRewrap(database, bThenA).run());

            assertThat(first.get("data keys")).isEqualTo(new MasterKeyRewrap.Count("data keys",
                    NUMBERS - NUMBERS_ALREADY_UNDER_B, NUMBERS_ALREADY_UNDER_B, 0));
            assertThat(first.get("webhook signing secrets").rewrapped()).isEqualTo(2);
            assertThat(first.get("previous webhook signing secrets").rewrapped()).isEqualTo(1);
            assertThat(first.get("upstream access tokens").rewrapped()).isEqualTo(1);
            assertThat(first.get("upstream app secrets").rewrapped()).isEqualTo(1);
            assertThat(first.get("store keys").rewrapped()).isEqualTo(2);
            assertThat(first.get("master key check").rewrapped()).isEqualTo(1);
            assertThat(first).hasSize(7);

            Map<String, MasterKeyRewrap.Count> again = counts(new MasterKeyRewrap(database, bThenA).run());
            assertThat(again.values()).as("a second run: nothing left")
                    .allSatisfy(count -> assertThat(count.rewrapped()).isZero())
                    .allSatisfy(count -> assertThat(count.changedMeanwhile()).isZero());
            assertThat(again.get("data keys").alreadyCurrent()).isEqualTo(NUMBERS);

            // B alone: the check, every data key (bodies sealed before still open: they were not touched), every secret.
            assertThat(onlyB.matches(settings.get(Settings.MASTER_KEY_CHECK).orElseThrow())).isTrue();
            assertThat(onlyA.matches(settings.get(Settings.MASTER_KEY_CHECK).orElseThrow())).isFalse();
            for (BusinessNumber number : new Numbers(database).all()) {
                DataKey key = onlyB.unwrap(number.number(), number.wrappedDataKey());
                assertThat(key.open(1L, bodies.get(number.number()))).isEqualTo("body of " + number.number());
            }
            assertThat(onlyB.openSecret(SealedSecrets.owner("p1"), projects.secrets("p1").orElseThrow().current()))
                    .isEqualTo("whsec_legacy");
            SealedSecrets p2 = projects.secrets("p2").orElseThrow();
            assertThat(onlyB.openSecret(SealedSecrets.owner("p2"), p2.current())).isEqualTo("whsec_new");
            assertThat(onlyB.openSecret(SealedSecrets.owner("p2"), p2.previous())).isEqualTo("whsec_old");
            CloudUpstream upstream = upstreams.find("+919800000001").orElseThrow();
            assertThat(onlyB.openSecret(CloudUpstream.owner("+919800000001", "access_token"), upstream.sealedAccessToken()))
                    .isEqualTo("EAAG-token");
            assertThat(onlyB.openSecret(CloudUpstream.owner("+919800000001", "app_secret"), upstream.sealedAppSecret()))
                    .isEqualTo("app-secret");
            assertThat(StoreKeys.get(settings, onlyB, StoreKeys.MEDIA_URLS)).isEqualTo(mediaUrlKey);
            assertThat(StoreKeys.get(settings, onlyB, StoreKeys.CLUSTER_CALLS)).isEqualTo(clusterKey);
            assertThatThrownBy(() -> StoreKeys.get(settings, onlyA, StoreKeys.MEDIA_URLS)).as("A is no longer needed")
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** Numbers with data keys wrapped under A (a few of them as before key ids) and some under B; a body sealed by each. */
    private Map<String, byte[]> numbers(Numbers numbers) {
        Map<String, byte[]> bodies = new HashMap<>();
        for (int i = 0; i < NUMBERS; i++) {
            String number = "+9198%08d".formatted(i);
            byte[] wrapped;
            if (i < NUMBERS_ALREADY_UNDER_B) wrapped = bThenA.newWrappedDataKey(number); // made by a node given B
            else if (i % 10 == 0) wrapped = LegacySeals.dataKey(keyA, number, Base64.getDecoder().decode(Vault.newMasterKey()));
            else wrapped = onlyA.newWrappedDataKey(number);
            numbers.create(new BusinessNumber(number, "p1", 10, 1, false, wrapped, 1L));
            bodies.put(number, bThenA.unwrap(number, wrapped).seal(1L, "body of " + number));
        }
        return bodies;
    }

    private static Map<String, MasterKeyRewrap.Count> counts(List<MasterKeyRewrap.Count> counts) {
        return counts.stream().collect(Collectors.toMap(MasterKeyRewrap.Count::kind, count -> count));
    }
}
