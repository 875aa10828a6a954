package io.switchboard.store.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file put in place whole: written under another name, fsynced, renamed over its final name, and the folder fsynced,
 * so that after a crash or power cut the name holds the old content or the new one, never a part of it.
 */
public final class DurableFiles {
    private DurableFiles() {}

    /** Makes the complete file {@code written} durable and renames it to {@code file}, replacing what was there. */
    public static void publish(Path written, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
            channel.force(true); // the bytes are on disk before the name points at them
        }
        Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(file.toAbsolutePath().getParent());
    }

    /** Makes a rename or a delete in {@code folder} durable; a folder opens for reading on Linux and macOS, not on Windows. */
    public static void syncFolder(Path folder) throws IOException {
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
