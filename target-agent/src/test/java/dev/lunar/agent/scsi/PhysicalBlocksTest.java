package dev.lunar.agent.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * A disk or partition with larger physical sectors reports them; a physical block no larger than
   * the logical one means one per physical block; nonsense in sysfs is ignored.
   */
  @ParameterizedTest(name = "{0} with physical_block_size {1}, logical {2}: reports {3}")
  @CsvSource({
    "sdz, 4096, 512, 4096",
    "sdz1, 4096, 512, 4096",
    "sdz, 512, 4096, 4096",
    "sdz, 3000, 512, 512",
    "sdz, lots, 512, 512"
  })
  void reportsThePhysicalBlockOfTheDiskFromSysfs(
      String name, String physical, int logical, int reported) throws Exception {
    assertThat(PhysicalBlocks.fromSysfs(sysClassBlock(physical), name, logical))
        .isEqualTo(reported);
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
