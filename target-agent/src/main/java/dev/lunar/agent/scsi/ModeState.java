package dev.lunar.agent.scsi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The changeable mode parameters of a disk (SPC-4 7.5): WCE of the caching page, D_SENSE and SWP of
 * the control page, each with a current and a saved value. MODE SELECT with SP saves the current
 * values; a unit opens with the saved ones. Saved values live in memory and, when the unit has a
 * persistent file, in that file too, so they survive a restart of the daemon.
 */
final class ModeState {

  /** One set of values. */
  record Values(boolean writeCache, boolean descriptorSense, boolean softwareWriteProtect) {
    static final Values DEFAULT = new Values(true, false, false);
  }

  private final Path file;
  private volatile Values current;
  private volatile Values saved;

  /**
   * @param file where saved values are kept, or {@code null} to keep them in memory only
   */
  ModeState(Path file) {
    this.file = file;
    this.saved = load(file);
    this.current = saved;
  }

  Values current() {
    return current;
  }

  Values saved() {
    return saved;
  }

  void current(Values values) {
    current = values;
  }

  /** Makes the current values the saved ones. */
  void save() throws IOException {
    Values values = current;
    if (file != null) {
      Properties p = new Properties();
      p.setProperty("wce", Boolean.toString(values.writeCache()));
      p.setProperty("d_sense", Boolean.toString(values.descriptorSense()));
      p.setProperty("swp", Boolean.toString(values.softwareWriteProtect()));
      StateFiles.store(file, p, "saved mode parameters");
    }
    saved = values;
  }

  private static Values load(Path file) {
    Properties p;
    try {
      p = file == null ? null : StateFiles.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read saved mode parameters " + file, e);
    }
    if (p == null) {
      return Values.DEFAULT;
    }
    return new Values(
        Boolean.parseBoolean(p.getProperty("wce", "true")),
        Boolean.parseBoolean(p.getProperty("d_sense", "false")),
        Boolean.parseBoolean(p.getProperty("swp", "false")));
  }
}
