package io.switchboard.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated master key file: readable by its owner only, and the same key at every start. */
class VaultKeyFileTest {
    @TempDir Path folder;

    @Test
    void theKeyFileIsMadeOwnerOnlyAndOpensTheSameKeyAgain() throws Exception {
        Path keyFile = folder.resolve("data").resolve("master.key");
        Vault first = Vault.fromKeyFile(keyFile);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.exists(keyFile.resolveSibling("master.key.new"))).isFalse();
        Vault again = Vault.fromKeyFile(keyFile);
        assertThat(again.matches(first.keyCheck())).as("the same master key").isTrue();
        assertThat(Vault.fromKeyFile(folder.resolve("other.key")).matches(first.keyCheck())).isFalse();
    }
}
