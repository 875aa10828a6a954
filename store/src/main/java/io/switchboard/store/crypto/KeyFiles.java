package io.switchboard.store.crypto;

import io.switchboard.store.files.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The master key file (DATA/master.key: one base64 key, made on the first start) and, beside it, the previous-keys
 * file (master.key.previous: the keys a rotation replaced, one a line), which still open what they sealed. Both are
 * readable by their owner only, written whole to a temporary file, fsynced, renamed over the old one and the folder
 * fsynced: after a crash or power cut each holds its old content or its new one, never a part or nothing.
 */
public final class KeyFiles {
    private KeyFiles() {}

    /** Where the keys replaced by a rotation of {@code keyFile} are kept. */
    public static Path previousFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + ".previous");
    }

    /** The key file's key as base64, made first if there is no key file. */
    static String current(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) write(keyFile, List.of(Vault.newMasterKey()));
            return Files.readString(keyFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The previous keys as base64, newest first; none when there is no previous-keys file. */
    static List<String> previous(Path keyFile) {
        Path file = previousFile(keyFile);
        try {
            if (!Files.exists(file)) return List.of();
            return Files.readAllLines(file).stream().map(String::trim).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("previous master keys file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a new key the key file's, and keeps the one it replaces first in the previous-keys file. The previous-keys
     * file is written first: a crash between the two writes leaves the old key both current and previous, which is
     * harmless, and never loses it.
     */
    public static void rotate(Path keyFile) {
        if (!Files.exists(keyFile)) throw new IllegalArgumentException("no master key file " + keyFile + " to rotate");
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        kept.add(current(keyFile));
        kept.addAll(previous(keyFile));
        try {
            write(previousFile(keyFile), new ArrayList<>(kept));
            write(keyFile, List.of(Vault.newMasterKey()));
        } catch (IOException e) {
            throw new UncheckedIOException("rotating master key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary); // left by a write that died half way
        // Made owner-only before a byte of a key is in it; where there are no POSIX permissions (Windows) the
        // folder's own access rights protect it.
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer text = ByteBuffer.wrap((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            while (text.hasRemaining()) channel.write(text);
        }
        DurableFiles.publish(temporary, file);
    }
}
