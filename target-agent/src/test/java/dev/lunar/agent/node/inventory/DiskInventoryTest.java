package dev.lunar.agent.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory over a made-up machine: sysfs, /dev, udev data and /proc written by the test. */
class DiskInventoryTest {

  @TempDir Path root;
  private DiskInventory inventory;

  @BeforeEach
  void machine() throws IOException {
    // sda: the system disk, root on its first partition
    disk("sda", "8:0", 1 << 21, Map.of("device/model", "SYSTEM DISK"));
    write("sys/block/sda/sda1/partition", "1");
    write("sys/block/sda/sda1/dev", "8:1");
    write("sys/class/block/sda1/dev", "8:1");
    // sdb: blank, with a by-id link and udev properties
    disk("sdb", "8:16", 1 << 22, Map.of("queue/rotational", "1"));
    Files.createDirectories(root.resolve("dev/disk/by-id"));
    Files.createSymbolicLink(
        root.resolve("dev/disk/by-id/wwn-0x5000c500a1b2c3d4"), Path.of("../../sdb"));
    write(
        "run/udev/data/b8:16",
        "E:ID_MODEL=ST4000\nE:ID_SERIAL_SHORT=ZC1ABCDE\nE:ID_WWN=0x5000c500a1b2c3d4\n");
    // sdc: holds an ext4 filesystem, not mounted
    disk("sdc", "8:32", 1 << 20, Map.of());
    byte[] ext4 = new byte[2048];
    ext4[1080] = 0x53;
    ext4[1081] = (byte) 0xEF;
    Files.write(root.resolve("dev/sdc"), ext4);
    // sdd: mounted elsewhere
    disk("sdd", "8:48", 1 << 20, Map.of());
    // loop7: unbound, size 0
    disk("loop7", "7:7", 0, Map.of());
    write(
        "proc/self/mountinfo",
        "27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
            + "40 27 8:48 / /data rw,relatime - xfs /dev/sdd rw\n");
    write("proc/swaps", "Filename Type Size Used Priority\n");
    inventory =
        new DiskInventory(
            root.resolve("sys"),
            root.resolve("dev"),
            root.resolve("run/udev/data"),
            root.resolve("proc"));
  }

  private void disk(String name, String number, long sectors, Map<String, String> extra)
      throws IOException {
    write("sys/block/" + name + "/size", Long.toString(sectors));
    write("sys/block/" + name + "/dev", number);
    write("sys/class/block/" + name + "/dev", number);
    write("sys/block/" + name + "/queue/logical_block_size", "512");
    write("sys/block/" + name + "/queue/physical_block_size", "4096");
    write("sys/block/" + name + "/queue/rotational", "0");
    Files.createDirectories(root.resolve("sys/block/" + name + "/holders"));
    for (var e : extra.entrySet()) {
      write("sys/block/" + name + "/" + e.getKey(), e.getValue());
    }
    Path node = root.resolve("dev/" + name);
    Files.createDirectories(node.getParent());
    try (RandomAccessFile f = new RandomAccessFile(node.toFile(), "rw")) {
      f.setLength(8192);
    }
  }

  private void write(String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private BlockDevice named(List<BlockDevice> disks, String name) {
    return disks.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void listsDisksWithTheirGeometryAndSkipsUnboundLoopDevices() throws IOException {
    List<BlockDevice> disks = inventory.scan();

    assertThat(disks).extracting(BlockDevice::name).containsExactly("sda", "sdb", "sdc", "sdd");
    BlockDevice sdb = named(disks, "sdb");
    assertThat(sdb.sizeBytes()).isEqualTo((1L << 22) * 512);
    assertThat(sdb.logicalBlockSize()).isEqualTo(512);
    assertThat(sdb.physicalBlockSize()).isEqualTo(4096);
    assertThat(sdb.rotational()).isTrue();
  }

  @Test
  void aBlankDiskIsSafeAndCarriesItsUdevIdentity() throws IOException {
    BlockDevice sdb = named(inventory.scan(), "sdb");

    assertThat(sdb.safe()).isTrue();
    assertThat(sdb.reason()).isNull();
    assertThat(sdb.model()).isEqualTo("ST4000");
    assertThat(sdb.serial()).isEqualTo("ZC1ABCDE");
    assertThat(sdb.wwn()).isEqualTo("0x5000c500a1b2c3d4");
    assertThat(sdb.byIdPaths())
        .containsExactly(root.resolve("dev/disk/by-id/wwn-0x5000c500a1b2c3d4").toString());
  }

  @Test
  void theRootDiskIsUnsafeThroughItsPartition() throws IOException {
    BlockDevice sda = named(inventory.scan(), "sda");

    assertThat(sda.backsRoot()).isTrue();
    assertThat(sda.partitioned()).isTrue();
    assertThat(sda.safe()).isFalse();
    assertThat(sda.reason()).isEqualTo("backs the root filesystem");
    assertThat(sda.model()).isEqualTo("SYSTEM DISK");
  }

  @Test
  void aDiskWithAFilesystemSignatureIsUnsafeOnceInspected() throws IOException {
    BlockDevice scanned = named(inventory.scan(), "sdc");

    BlockDevice sdc = inventory.inspect(scanned);

    assertThat(scanned.signature()).as("the scan opens no device").isNull();
    assertThat(sdc.signature()).isEqualTo("ext4");
    assertThat(sdc.reason()).isEqualTo("holds a ext4 signature");
  }

  @Test
  void aSignatureUdevRecordedMakesADiskUnsafeWithoutOpeningIt() throws IOException {
    write("run/udev/data/b8:32", "E:ID_FS_TYPE=xfs\n");

    BlockDevice sdc = named(inventory.scan(), "sdc");

    assertThat(sdc.reason()).isEqualTo("holds a xfs signature");
  }

  @Test
  void aMountedDiskIsUnsafe() throws IOException {
    BlockDevice sdd = named(inventory.scan(), "sdd");

    assertThat(sdd.mounted()).isTrue();
    assertThat(sdd.reason()).isEqualTo("mounted or used as swap");
  }

  @Test
  void aDiskHeldByDeviceMapperIsUnsafe() throws IOException {
    Files.createDirectories(root.resolve("sys/block/sdb/holders/dm-0"));
    write("sys/class/block/dm-0/dev", "253:0");

    BlockDevice sdb = named(inventory.scan(), "sdb");

    assertThat(sdb.holders()).containsExactly("dm-0");
    assertThat(sdb.reason()).isEqualTo("in use by dm-0");
  }

  @Test
  void findResolvesByIdLinksToTheirDisk() throws IOException {
    List<BlockDevice> disks = inventory.scan();

    BlockDevice found =
        inventory.find(disks, root.resolve("dev/disk/by-id/wwn-0x5000c500a1b2c3d4").toString());

    assertThat(found.name()).isEqualTo("sdb");
  }
}
