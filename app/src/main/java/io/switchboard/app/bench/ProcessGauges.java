package io.switchboard.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a process on this machine holds: threads, file descriptors and resident memory from /proc, and its live
 * heap with the JDK's jcmd (a full collection first, so that garbage does not count).
 */
final class ProcessGauges {
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");
    private final long pid;

    ProcessGauges(long pid) {
        this.pid = pid;
    }

    long threads() throws IOException {
        return statusKilo("Threads:");
    }

    long residentBytes() throws IOException {
        return statusKilo("VmRSS:") * 1024;
    }

    long fileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    long liveHeapBytes() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Commands.run(jcmd, Long.toString(pid), "GC.run");
        Matcher used = HEAP_USED.matcher(Commands.run(jcmd, Long.toString(pid), "GC.heap_info"));
        if (!used.find()) throw new IllegalStateException("jcmd GC.heap_info of " + pid + " shows no heap in use");
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** A line of /proc/PID/status, as a number (kB for sizes). */
    private long statusKilo(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }
}
