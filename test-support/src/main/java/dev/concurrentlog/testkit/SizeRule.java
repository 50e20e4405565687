package dev.concurrentlog.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The size rule of a log rotated by size: no file over the rotate size, and each rotation once, when it was due. */
public final class SizeRule {

    private SizeRule() {
    }

    /**
     * Checks that no file of {@code log} (the log and its size backups) is larger than {@code rotateSize} (records
     * here are smaller than it), and that every backup is full enough that the next record could not fit: each
     * rotation happened once, when it was due. Throws an {@link AssertionError} if not.
     *
     * @param maxRecordLength the longest record with its line end
     */
    public static void verify(Path log, long rotateSize, int maxRecordLength) throws IOException {
        List<Path> files = LogFiles.oldestFirst(log);
        verifyAtMost(files, rotateSize);
        for (Path file : files) {
            long size = Files.size(file);
            if (!file.equals(log) && size <= rotateSize - maxRecordLength) {
                throw new AssertionError(file + " has only " + size + " bytes: rotated early or twice (rotateSize "
                        + rotateSize + ")");
            }
        }
    }

    /** Checks that none of {@code files} is larger than {@code rotateSize}; throws an {@link AssertionError} if not. */
    public static void verifyAtMost(List<Path> files, long rotateSize) throws IOException {
        for (Path file : files) {
            long size = Files.size(file);
            if (size > rotateSize) {
                throw new AssertionError(file + " has " + size + " bytes, over rotateSize " + rotateSize);
            }
        }
    }
}
