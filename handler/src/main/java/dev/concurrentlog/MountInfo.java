package dev.concurrentlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The mount a directory lies on, as {@code /proc/self/mountinfo} describes it: the file system type, the source, the
 * mount point and options. Types that are known to break POSIX locks or atomic appends across hosts are flagged.
 *
 * @param type         the file system type, such as {@code ext4}, {@code tmpfs} or {@code nfs4}
 * @param source       what is mounted (a device, a server's export)
 * @param mountPoint   where it is mounted
 * @param options      the mount's options
 * @param superOptions the file system's own options
 */
record MountInfo(String type, String source, String mountPoint, String options, String superOptions) {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** The mount of {@code directory} (its real path), or null if {@code /proc/self/mountinfo} cannot be read. */
    static MountInfo of(Path directory) {
        try {
            return find(directory.toRealPath(), Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            return null;
        }
    }

    /** The last-mounted entry of {@code lines} whose mount point is the longest prefix of {@code realPath}. */
    static MountInfo find(Path realPath, List<String> lines) {
        MountInfo best = null;
        int bestDepth = -1;
        for (String line : lines) {
            // ID PARENT MAJOR:MINOR ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields.length < 6 || dash < 6 || fields.length < dash + 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            if (realPath.startsWith(mountPoint) && mountPoint.getNameCount() >= bestDepth) {
                bestDepth = mountPoint.getNameCount();
                best = new MountInfo(unescape(fields[dash + 1]), unescape(fields[dash + 2]), mountPoint.toString(),
                        fields[5], fields.length > dash + 3 ? fields[dash + 3] : "");
            }
        }
        return best;
    }

    /**
     * Why this type is not trusted across hosts, or null: network and FUSE file systems may emulate or drop POSIX
     * record locks, append at a stale end, or cache pages per host, even when every check passes on one host.
     */
    String warning() {
        if (type.startsWith("nfs")) {
            return "nfs: record locks go through a lock daemon and O_APPEND is not atomic across clients";
        }
        if (type.equals("cifs") || type.equals("smb3")) {
            return type + ": byte-range locks are emulated and appends from several clients may overlap";
        }
        if (type.startsWith("fuse")) {
            return type + ": a FUSE file system may not implement POSIX locks or atomic appends";
        }
        return null;
    }

    /** {@code \040} and the like, as the kernel escapes spaces, tabs, newlines and backslashes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1, 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
