package dev.lunar.agent.node;

import dev.lunar.csi.node.Command;
import dev.lunar.csi.node.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The LVM tools, as the agent runs them from its container: every command through one {@link
 * CommandRunner} (tests script the answers), each with {@link #CONFIG}, reports as JSON in bytes.
 */
final class Lvm {

  /** Every logical volume Lunar made carries this tag; Lunar changes no other. */
  static final String VOLUME_TAG = "lunar.dev/volume";

  /**
   * Carried by a linear volume from its creation until every byte of it was zeroed: a restart that
   * finds it zeroes the volume again from the start rather than serve what the last owner left.
   */
  static final String UNWIPED_TAG = "lunar.dev/unwiped";

  /**
   * The container has the host's /dev but no udev of its own and no lvmetad: LVM must neither wait
   * for udev (it would hang until the timeout) nor expect udev rules to make the /dev/vg/lv links
   * (it makes them itself), and must scan devices rather than ask udev for the list. Monitoring is
   * off since no dmeventd runs in the container (a thin pool's autoextend is the host's affair),
   * and so are metadata backups: the image's /etc/lvm is read-only and not the host's, and the
   * metadata itself lives on the physical volumes.
   */
  static final String CONFIG =
      "global{use_lvmetad=0} devices{obtain_device_list_from_udev=0}"
          + " activation{udev_sync=0 udev_rules=0 monitoring=0} backup{backup=0 archive=0}";

  private static final String LV_FIELDS =
      "lv_name,lv_path,lv_size,lv_tags,lv_attr,lv_device_open,segtype,pool_lv,zero,data_percent";

  /** Creating or removing a volume can wait on LVM's lock behind another command. */
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final CommandRunner runner;

  Lvm(CommandRunner runner) {
    this.runner = runner;
  }

  /** Every volume group the node's LVM sees: all of them, so a missing one is simply absent. */
  List<VolumeGroup> volumeGroups() throws IOException {
    return LvmReport.volumeGroups(
        run(report("vgs", "-o", "vg_name,vg_size,vg_free,vg_extent_size")));
  }

  /** The logical volumes of one group, hidden ones (a thin pool's data and metadata) left out. */
  List<LogicalVolume> logicalVolumes(String group) throws IOException {
    List<String> argv = report("lvs", "--binary", "-o", LV_FIELDS);
    argv.add(group);
    return LvmReport.logicalVolumes(run(argv));
  }

  /** A thin volume of {@code bytes} in {@code thinPool}, tagged as Lunar's. */
  void createThin(String group, String thinPool, String name, long bytes) throws IOException {
    run(
        command(
            "lvcreate",
            "--type",
            "thin",
            "--virtualsize",
            bytes + "b",
            "--thinpool",
            thinPool,
            "--name",
            name,
            "--addtag",
            VOLUME_TAG,
            group));
  }

  /**
   * A linear volume of {@code bytes}, tagged as Lunar's and as not yet zeroed. LVM's own zeroing
   * ({@code --zero}) covers only its first 4 KiB and its signature wiping only what it recognizes;
   * the caller zeroes every byte, so both are off (and no prompt can stall the command).
   */
  void createLinear(String group, String name, long bytes) throws IOException {
    run(
        command(
            "lvcreate",
            "--type",
            "linear",
            "--size",
            bytes + "b",
            "--name",
            name,
            "--addtag",
            VOLUME_TAG,
            "--addtag",
            UNWIPED_TAG,
            "--wipesignatures",
            "n",
            "--zero",
            "n",
            group));
  }

  /** Records that a linear volume was zeroed all through. */
  void markWiped(String group, String name) throws IOException {
    run(command("lvchange", "--deltag", UNWIPED_TAG, group + "/" + name));
  }

  /** Makes an inactive volume's device appear, as after a reboot without autoactivation. */
  void activate(String group, String name) throws IOException {
    run(command("lvchange", "--activate", "y", group + "/" + name));
  }

  /** Removes a volume; LVM itself refuses one that is open. */
  void remove(String group, String name) throws IOException {
    run(command("lvremove", "--yes", group + "/" + name));
  }

  private static List<String> report(String tool, String... options) {
    List<String> argv = command(tool, "--reportformat", "json", "--units", "b", "--nosuffix");
    argv.addAll(List.of(options));
    return argv;
  }

  private static List<String> command(String tool, String... args) {
    List<String> argv = new ArrayList<>(List.of(tool, "--config", CONFIG));
    argv.addAll(List.of(args));
    return argv;
  }

  private String run(List<String> argv) throws IOException {
    Command command = Command.of(argv.toArray(String[]::new));
    CommandRunner.Result result = runner.run(command, TIMEOUT);
    if (!result.succeeded()) {
      throw new IOException(
          argv.getFirst() + " failed (exit " + result.exitCode() + "): " + result.message());
    }
    return result.stdout();
  }
}
