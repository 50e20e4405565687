package dev.concurrentlog;

import java.nio.file.Path;

/**
 * Which file a handler writes and which lock file guards it.
 *
 * @param file         the log file, or null if none is set yet
 * @param explicitLock the lock file set by the user, or null for the default beside the log
 */
record LogTarget(Path file, Path explicitLock) {

    static final LogTarget NONE = new LogTarget(null, null);

    /** @return the lock file in effect: the explicit one, or {@code .NAME.lock} beside the log; null without a log */
    Path lockFile() {
        if (explicitLock != null) {
            return explicitLock;
        }
        return file == null ? null : file.resolveSibling("." + file.getFileName() + ".lock");
    }

    /** @param value the fileName as configured, for the error message */
    LogTarget withFile(Path newFile, String value) {
        LogTarget changed = new LogTarget(newFile, explicitLock);
        changed.requireDistinct("fileName", value);
        return changed;
    }

    /** @param value the lockFile as configured, for the error message */
    LogTarget withLockFile(Path newLock, String value) {
        LogTarget changed = new LogTarget(file, newLock);
        changed.requireDistinct("lockFile", value);
        return changed;
    }

    /** The lock file must be neither the log nor one of its backups ({@code NAME.1}, {@code NAME.2}, ...). */
    private void requireDistinct(String property, String value) {
        Path lock = lockFile();
        if (file == null || lock == null) {
            return;
        }
        String backupPrefix = file.getFileName() + ".";
        String lockName = lock.getFileName().toString();
        boolean backup = lock.getParent().equals(file.getParent()) && lockName.startsWith(backupPrefix)
                && lockName.length() > backupPrefix.length()
                && lockName.substring(backupPrefix.length()).chars().allMatch(Character::isDigit);
        if (file.equals(lock) || backup) {
            throw InvalidValue.of(property, value, "the lock file must be neither the log file nor one of its backups");
        }
    }
}
