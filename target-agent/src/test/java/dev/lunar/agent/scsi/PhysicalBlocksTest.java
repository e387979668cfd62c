package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhysicalBlocksTest {

  @TempDir Path dir;

  /** A sysfs-like tree: /sys/devices/.../block/sdz with queue/, its partition sdz1, the links. */
  private Path sysClassBlock(String physical) throws Exception {
    Path disk = Files.createDirectories(dir.resolve("devices/block/sdz"));
    Files.createDirectories(disk.resolve("queue"));
    Files.writeString(disk.resolve("queue/physical_block_size"), physical + "\n");
    Path partition = Files.createDirectories(disk.resolve("sdz1"));
    Path links = Files.createDirectories(dir.resolve("class/block"));
    Files.createSymbolicLink(links.resolve("sdz"), disk);
    Files.createSymbolicLink(links.resolve("sdz1"), partition);
    return links;
  }

  @Test
  void aDiskWithLargerPhysicalSectorsReportsThem() throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock("4096"), "sdz", 512)).isEqualTo(4096);
  }

  @Test
  void aPartitionTakesItsDisksPhysicalSectors() throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock("4096"), "sdz1", 512)).isEqualTo(4096);
  }

  @Test
  void aPhysicalBlockNoLargerThanTheLogicalOneMeansOnePerPhysical() throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock("512"), "sdz", 4096)).isEqualTo(4096);
  }

  @Test
  void aSizeThatIsNotAPowerOfTwoIsIgnored() throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock("3000"), "sdz", 512)).isEqualTo(512);
  }

  @Test
  void textThatIsNotANumberIsIgnored() throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock("lots"), "sdz", 512)).isEqualTo(512);
  }

  @Test
  void aRegularFileHasOneLogicalBlockPerPhysicalBlock() throws Exception {
    Path links = sysClassBlock("4096");
    Path file = Files.writeString(dir.resolve("sdz"), "not a device");
    assertThat(PhysicalBlocks.of(file, links, 512)).isEqualTo(512);
  }

  @Test
  void aMissingOrUnnamedBackingHasOneLogicalBlockPerPhysicalBlock() {
    assertThat(PhysicalBlocks.of(dir.resolve("gone").toString(), 512)).isEqualTo(512);
    assertThat(PhysicalBlocks.of((String) null, 512)).isEqualTo(512);
  }
}
