package io.switchboard.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated master key file: readable by its owner only, and the same key at every start; a rotation keeps the
 * replaced key in the previous-keys file, owner-only too, and what it sealed still opens.
 */
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

    @Test
    void aRotationKeepsTheReplacedKeyBesideTheNewOne() throws Exception {
        Path keyFile = folder.resolve("data").resolve("master.key");
        Vault first = Vault.fromKeyFile(keyFile);
        byte[] sealed = first.sealSecret("webhook:p1", "whsec");

        KeyFiles.rotate(keyFile);
        Vault second = Vault.fromKeyFile(keyFile);
        KeyFiles.rotate(keyFile);
        Vault third = Vault.fromKeyFile(keyFile);

        Path previous = keyFile.resolveSibling("master.key.previous");
        assertThat(previous).isEqualTo(KeyFiles.previousFile(keyFile));
        assertThat(Files.readAllLines(previous)).as("newest first").hasSize(2);
        for (Path file : new Path[] {keyFile, previous}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var left = Files.list(keyFile.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("master.key", "master.key.previous");
        }
        assertThat(java.util.Set.of(first.currentKeyId(), second.currentKeyId(), third.currentKeyId())).hasSize(3);
        assertThat(third.openSecret("webhook:p1", sealed)).isEqualTo("whsec");
        assertThat(third.matches(second.keyCheck())).isTrue();
        assertThat(Vault.ofBase64(Files.readString(keyFile)).matches(first.keyCheck())).as("the current key alone").isFalse();
    }
}
