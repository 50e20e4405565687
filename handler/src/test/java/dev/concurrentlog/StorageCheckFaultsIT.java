package dev.concurrentlog;

import static dev.concurrentlog.StorageCheckCommand.logManagerClassPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each check of the storage checker fails, and names the property, when the behaviour it checks is broken: a fault
 * injected with Byteman into the checker's processes (the rule files in {@code storage-check/}), never a hook in the
 * handler.
 */
class StorageCheckFaultsIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lock-exclusion        | the OS lock does not exclude",
        "lock-release-on-death | the OS lock of a process that died is not released",
        "appends               | O_APPEND writes overlap, tear or go missing",
        "shared-memory         | the lock file's shared memory is not coherent",
        "rename                | a renamed file loses the writes of processes that hold it open",
        "handler               | the handler's log fails the verifier",
    })
    void eachCheckFailsAndNamesThePropertyWhenItIsBroken(String check, String property) throws Exception {
        Path checked = Files.createDirectory(dir.resolve("checked"));
        StorageCheckCommand run = new StorageCheckCommand(dir, check, "check", checked.toString(), "--checks", check,
                "--json", "--logmanager", logManagerClassPath()).environment(StorageCheckCommand.byteman(check + ".btm"));
        assertEquals(1, run.run(), run.output() + run.errors());
        String json = run.output();
        assertTrue(json.contains("{\"name\":\"" + check + "\",\"result\":\"FAIL\",\"reason\":\""
                + property.replace("\"", "\\\"")), json);
        assertEquals(0, StorageCheckCommand.passed(json), json);
    }
}
