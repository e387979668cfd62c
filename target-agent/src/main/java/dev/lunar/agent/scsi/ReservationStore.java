package dev.lunar.agent.scsi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The file that keeps a unit's persistent reservations across restarts when an initiator asked for
 * it with APTPL (SPC-4 5.12.4): every registration (initiator port and key), the holder, the type
 * and the generation, as a properties file replaced atomically on each change.
 */
final class ReservationStore {

  /** What the file holds. */
  record Snapshot(Map<Nexus, Long> keys, Nexus holder, int type, int generation) {}

  private final Path file;

  ReservationStore(Path file) {
    this.file = file;
  }

  /** The saved state, or {@code null} when there is none. */
  Snapshot load() {
    Properties p;
    try {
      p = StateFiles.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read persistent reservations " + file, e);
    }
    if (p == null) {
      return null;
    }
    int count = Integer.parseInt(p.getProperty("count", "0"));
    Map<Nexus, Long> keys = new LinkedHashMap<>();
    Nexus holder = null;
    for (int i = 0; i < count; i++) {
      String prefix = "r" + i + ".";
      Nexus nexus =
          new Nexus(
              p.getProperty(prefix + "initiator"),
              Long.parseUnsignedLong(p.getProperty(prefix + "isid"), 16),
              p.getProperty(prefix + "target"),
              Integer.parseInt(p.getProperty(prefix + "port")));
      keys.put(nexus, Long.parseUnsignedLong(p.getProperty(prefix + "key"), 16));
      if (Boolean.parseBoolean(p.getProperty(prefix + "holder"))) {
        holder = nexus;
      }
    }
    return new Snapshot(
        keys,
        holder,
        Integer.parseInt(p.getProperty("type", "0")),
        Integer.parseInt(p.getProperty("generation", "0")));
  }

  void save(Snapshot snapshot) throws IOException {
    Properties p = new Properties();
    p.setProperty("count", Integer.toString(snapshot.keys().size()));
    p.setProperty("type", Integer.toString(snapshot.type()));
    p.setProperty("generation", Integer.toString(snapshot.generation()));
    int i = 0;
    for (Map.Entry<Nexus, Long> e : snapshot.keys().entrySet()) {
      String prefix = "r" + i++ + ".";
      Nexus n = e.getKey();
      p.setProperty(prefix + "initiator", n.initiatorName());
      p.setProperty(prefix + "isid", Long.toHexString(n.isid()));
      p.setProperty(prefix + "target", n.targetName());
      p.setProperty(prefix + "port", Integer.toString(n.relativeTargetPort()));
      p.setProperty(prefix + "key", Long.toHexString(e.getValue()));
      p.setProperty(prefix + "holder", Boolean.toString(n.equals(snapshot.holder())));
    }
    StateFiles.store(file, p, "persistent reservations (APTPL)");
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
