package dev.concurrentlog;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import dev.concurrentlog.testkit.ChildJvm;
import dev.concurrentlog.testkit.ParentLink;
import dev.concurrentlog.testkit.RecordFormat;

/**
 * Another process caught between reserving its bytes of the log and writing them: it reserves one record (writer
 * {@code reserver}, thread 0, sequence 0) in the open file, as the handler does, says {@code ready}, and writes it
 * when the parent says {@code go}, then says {@code written} and waits for {@code stop}. Arguments: the log, its lock
 * file, and optionally a mode: {@code cut} writes only the first half of the record (no line end) before it says
 * {@code written}, as a writer killed part way through its append leaves it; {@code claim} only claims a slot under
 * the OS lock, as every process does when it first takes it, says {@code ready} and waits for {@code stop}.
 */
public final class Reserver {

    static final String WRITER = "reserver";
    static final String WRITTEN = "written";
    static final String CUT = "cut";
    static final String CLAIM = "claim";

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        String mode = args.length > 2 ? args[2] : "";
        LockFileGuard guard = new LockFileGuard(Path.of(args[1]), FileCreator.DEFAULT);
        ByteBuffer record = ByteBuffer.wrap((RecordFormat.record(WRITER, 0, 0, 40) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        try (FileChannel out = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            guard.lockInJvm();
            int slot;
            LockFileState state;
            try {
                if (!guard.lockFile(TimeUnit.SECONDS.toNanos(30))) {
                    throw new IllegalStateException("no lock");
                }
                slot = guard.slot();
                state = guard.state();
            } finally {
                guard.unlockAll();
            }
            if (mode.equals(CLAIM)) {
                ParentLink.ready();
                ParentLink.await();
                return;
            }
            long generation = state.generation();
            if (slot < 0 || !state.reserve(slot, generation, record.remaining(), size -> true)) {
                throw new IllegalStateException("appends are not open: slot " + slot + ", ticket " + state.ticket());
            }
            ParentLink.ready();
            if (ParentLink.await().equals(ChildJvm.GO)) {
                if (mode.equals(CUT)) {
                    record.limit(record.limit() / 2);
                }
                while (record.hasRemaining()) {
                    out.write(record);
                }
                if (!mode.equals(CUT)) {
                    state.landed(slot);
                }
                ParentLink.tell(WRITTEN);
                ParentLink.await();
            }
        }
    }
}
