package dev.concurrentlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MountInfoTest {

    private static final List<String> LINES = List.of(
            "22 1 252:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,discard",
            "30 22 0:26 / /var/log rw,nosuid - tmpfs tmpfs rw,size=1024k",
            "31 30 0:40 / /var/log/shared\\040logs rw,relatime shared:7 master:2 - nfs4 srv:/export rw,vers=4.2",
            "32 22 0:41 / /mnt/box rw - fuse.sshfs me@host:/ rw,user_id=0");

    @Test
    void theDeepestMountPointHoldingThePathWins() {
        MountInfo root = MountInfo.find(Path.of("/home/me"), LINES);
        assertEquals("ext4", root.type());
        assertEquals("/dev/vda", root.source());
        assertEquals("rw,relatime", root.options());
        assertEquals("rw,discard", root.superOptions());
        assertNull(root.warning());
        assertEquals("tmpfs", MountInfo.find(Path.of("/var/log/wildfly"), LINES).type());
        assertEquals("ext4", MountInfo.find(Path.of("/var/logs"), LINES).type(), "a prefix of the name is no parent");
    }

    @Test
    void escapedSpacesOptionalFieldsAndUnsafeTypes() {
        MountInfo nfs = MountInfo.find(Path.of("/var/log/shared logs/app"), LINES);
        assertEquals("nfs4", nfs.type());
        assertEquals("/var/log/shared logs", nfs.mountPoint());
        assertEquals("rw,vers=4.2", nfs.superOptions());
        assertTrue(nfs.warning().startsWith("nfs:"), nfs.warning());
        MountInfo fuse = MountInfo.find(Path.of("/mnt/box/x"), LINES);
        assertTrue(fuse.warning().startsWith("fuse.sshfs:"), fuse.warning());
        assertNotNull(new MountInfo("cifs", "//srv/share", "/mnt", "rw", "rw").warning());
    }
}
