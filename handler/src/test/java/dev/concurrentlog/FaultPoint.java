package dev.concurrentlog;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of rotation, compression, repair or opening at which the fault suites put a kill, a stall or a failed call:
 * one call site in the handler's code ({@link Site}), right before the call or right after it, the {@code k}-th time
 * a writer JVM reaches it. Each becomes a Byteman rule (see {@link FaultPointHelper}) in the writer JVMs' agent, so the
 * handler's code is untouched. {@link #SITES} lists every call of the handler that renames, deletes, truncates,
 * creates or writes a file, or takes or lets go of a lock; {@code CrashPointIT} checks that list against a census of
 * the calls one run makes.
 */
record FaultPoint(Site site, boolean after, int k) {

    /**
     * A call site: {@code invoked} as called from {@code method} of {@code className} ({@code callSite}-th such call in
     * the method's code, or every one if 0).
     */
    record Site(String name, String className, String method, String invoked, int callSite, String step) {

        private String location(boolean after) {
            return (after ? "AFTER" : "AT") + " INVOKE " + invoked + (callSite == 0 ? " ALL" : " " + callSite);
        }
    }

    private static final String P = "dev.concurrentlog.";

    /** Every call site, grouped by step. */
    static final List<Site> SITES = List.of(
            // opening: the lock file, the log, the slot and presence locks
            new Site("lockfile-create", P + "LockFileGuard", "openChannel", "FileCreator.createIfMissing", 0,
                    "opening"),
            new Site("lockfile-open", P + "LockFileGuard", "openChannel", "java.nio.channels.FileChannel.open", 0,
                    "opening"),
            new Site("log-create", P + "LogFileOutput", "current", "FileCreator.createIfMissing", 0, "opening"),
            new Site("log-open", P + "LogFileOutput", "openChannels", "java.nio.channels.FileChannel.open", 0,
                    "opening"),
            new Site("slot-lock", P + "WriterSlots", "claim", "java.nio.channels.FileChannel.tryLock", 0, "opening"),
            new Site("presence-lock", P + "GroupPresence", "retake", "java.nio.channels.FileChannel.tryLock", 0,
                    "opening"),
            // a slot claimed without the mutex, for writes past lockTimeout
            new Site("slot-claim-clear", P + "WriterSlots", "claimClear", "java.nio.channels.FileChannel.tryLock", 0,
                    "opening"),
            new Site("slot-claim-clear-release", P + "WriterSlots", "claimClear", "java.nio.channels.FileLock.release",
                    0, "opening"),
            // the OS lock, and the lock on the backups
            new Site("mutex-lock", P + "LockFileGuard", "poll", "java.nio.channels.FileChannel.tryLock", 0, "locking"),
            new Site("mutex-unlock", P + "LockFileGuard", "unlockFile", "java.nio.channels.FileLock.release", 0,
                    "locking"),
            new Site("backups-lock", P + "LockFileGuard", "tryLockBackups", "java.nio.channels.FileChannel.tryLock", 0,
                    "locking"),
            new Site("backups-unlock", P + "LockFileGuard", "releaseBackups", "java.nio.channels.FileLock.release", 0,
                    "locking"),
            // writes: under the OS lock, and reserved ones without it
            new Site("write-locked", P + "LogFileOutput", "append", "writeAll", 0, "writing"),
            new Site("write-reserved", P + "LogFileOutput", "appendReserved", "writeAll", 0, "writing"),
            new Site("write-lockfree", P + "LockFreeAppender", "append", "java.nio.channels.FileChannel.write", 0,
                    "writing"),
            // a rotation: the generation moves on, then the rename
            new Site("announce", P + "LogFileOutput", "rotate", "announceReplaced", 0, "rotation"),
            new Site("park-rename", P + "BackupRotator", "park", "shift", 0, "size rotation"),
            new Site("time-rename", P + "BackupRotator$TimeBackup", "move", "java.nio.file.Files.move", 0,
                    "time rotation"),
            new Site("time-replace", P + "BackupRotator$TimeBackup", "move", "java.nio.file.Files.deleteIfExists", 0,
                    "time rotation"),
            // a kept time backup moved into its chain: its renames are the shift's (Renames.move)
            new Site("time-displace-expire", P + "BackupRotator$Displaced", "move",
                    "java.nio.file.Files.deleteIfExists", 0, "time rotation"),
            // the shift, under the lock on the backups
            new Site("shift-rename", P + "BackupRotator$Renames", "move", "shift", 0, "shift"),
            new Site("shift-undo", P + "BackupRotator$Renames", "undo", "shift", 0, "shift"),
            new Site("shift-expire", P + "BackupRotator", "moveUp", "java.nio.file.Files.deleteIfExists", 0, "shift"),
            new Site("shift-expire-parked", P + "BackupRotator", "placeParked", "java.nio.file.Files.deleteIfExists",
                    0, "shift"),
            new Site("history-delete", P + "BackupRotator", "deleteOlderThan", "java.nio.file.Files.deleteIfExists", 0,
                    "shift"),
            // compression
            new Site("compress-create", P + "BackupCompressor$OneBackup", "claim", "FileCreator.createIfMissing", 0,
                    "compression"),
            new Site("compress-open", P + "BackupCompressor$OneBackup", "claim",
                    "java.nio.channels.FileChannel.open", 0, "compression"),
            new Site("compress-lock", P + "BackupCompressor", "lockQuietly", "java.nio.channels.FileChannel.tryLock",
                    0, "compression"),
            new Site("compress-write", P + "BackupCompressor$OneBackup", "compress", "BackupCompressor.write", 0,
                    "compression"),
            new Site("compress-force", P + "BackupCompressor$OneBackup", "compress",
                    "java.nio.channels.FileChannel.force", 0, "compression"),
            new Site("compress-rename", P + "BackupCompressor$OneBackup", "renameIntoPlace",
                    "java.nio.file.Files.move", 0, "compression"),
            new Site("compress-drop-raw", P + "BackupCompressor$OneBackup", "renameIntoPlace",
                    "java.nio.file.Files.delete", 2, "compression"),
            new Site("compress-drop-moved", P + "BackupCompressor$OneBackup", "renameIntoPlace",
                    "java.nio.file.Files.delete", 1, "compression"),
            new Site("compress-drop-temp", P + "BackupCompressor$OneBackup", "deleteTemp", "java.nio.file.Files.delete",
                    0, "compression"),
            new Site("compress-stale-open", P + "BackupCompressor", "deleteIfStale",
                    "java.nio.channels.FileChannel.open", 0, "compression"),
            new Site("compress-stale", P + "BackupCompressor", "deleteIfStale", "java.nio.file.Files.deleteIfExists",
                    0, "compression"),
            // repair
            new Site("repair-cut", P + "LogFileOutput", "cutBack", "java.nio.channels.FileChannel.truncate", 0,
                    "repair"),
            new Site("repair-fragment", P + "LogFileOutput", "cutBackFragment",
                    "java.nio.channels.FileChannel.truncate", 0, "repair"),
            new Site("truncate-open", P + "LogFileOutput", "truncate", "java.nio.channels.FileChannel.open", 0,
                    "opening"),
            new Site("truncate-at-start", P + "LogFileOutput", "truncate", "java.nio.channels.FileChannel.truncate", 0,
                    "opening"));

    /** What a rule does where it fires. */
    enum Fault {
        /** Halts the JVM, as SIGKILL does. */
        KILL,
        /** Holds the thread there for {@code stallMillis}. */
        STALL,
        /** Fails the call (it does not run) for {@code failMillis} from the first time, then lets it through. */
        FAIL
    }

    /** The Byteman rule that puts {@code fault} at this point. */
    String rule(Fault fault, long millis, String errno) {
        String action = switch (fault) {
            case KILL -> "IF reached(" + k + ")\nDO crash()";
            case STALL -> "IF reached(" + k + ")\nDO stall(" + millis + "L)";
            case FAIL -> "IF failing(" + millis + "L)\nDO throw new " + switch (errno) {
                case "EACCES" -> "java.nio.file.AccessDeniedException(\"injected EACCES\")";
                case "ENOSPC" -> "java.io.IOException(\"No space left on device (injected ENOSPC)\")";
                default -> "java.io.IOException(\"Input/output error (injected " + errno + ")\")";
            };
        };
        return "RULE " + this + "\nCLASS " + site.className + "\nMETHOD " + site.method + "\nHELPER "
                + FaultPointHelper.class.getName() + "\n" + site.location(after) + "\n" + action + "\nENDRULE\n";
    }

    /** The census: a rule at every site that counts the calls (before them) and does nothing else. */
    static String censusRules() {
        StringBuilder rules = new StringBuilder();
        for (Site site : SITES) {
            rules.append("RULE census ").append(site.name).append("\nCLASS ").append(site.className)
                    .append("\nMETHOD ").append(site.method).append("\nHELPER ")
                    .append(FaultPointHelper.class.getName()).append('\n').append(site.location(false))
                    .append("\nIF count(\"").append(site.name).append("\")\nDO NOTHING\nENDRULE\n");
        }
        return rules.toString();
    }

    /** Every point of {@code site}: before and after each of its first {@code calls} calls. */
    static List<FaultPoint> of(Site site, int calls) {
        List<FaultPoint> points = new ArrayList<>();
        for (int k = 1; k <= calls; k++) {
            points.add(new FaultPoint(site, false, k));
            points.add(new FaultPoint(site, true, k));
        }
        return points;
    }

    static Site site(String name) {
        return SITES.stream().filter(site -> site.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site " + name));
    }

    @Override
    public String toString() {
        return (after ? "after " : "before ") + site.name + " #" + k;
    }
}
