package io.switchboard.app.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small tmpfs mounted for a drill (root only), that can be filled to the last byte with a file and freed again. */
final class Tmpfs implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static Tmpfs mount(int megabytes) throws IOException, InterruptedException {
        Path mountPoint = Files.createTempDirectory("switchboard-tmpfs");
        Commands.run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
        return new Tmpfs(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    private Path filler() {
        return mountPoint.resolve("filler");
    }

    /** Writes a file until the disk is full (tmpfs has no reserve: nothing is left for anyone). */
    void fill() throws IOException {
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(filler())) {
            for (int size = CHUNK; size > 0; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException noSpaceForThisSize) {
                    // go on with smaller writes down to a byte
                }
            }
        } catch (IOException closingAFullFile) {
            // what was written stays
        }
    }

    /** Removes the filler: the space is back. */
    void free() throws IOException {
        Files.deleteIfExists(filler());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Commands.run("umount", mountPoint.toString());
        } catch (IllegalStateException busy) {
            Commands.run("umount", "-l", mountPoint.toString()); // a process still holds a file: detach now, freed when it lets go
        }
        Files.deleteIfExists(mountPoint);
    }
}
