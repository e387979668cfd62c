package dev.lunar.agent.tgtadm;

import java.nio.file.Path;

/**
 * Where the control channel listens: a Unix domain socket {@code DIR/tgtd.N.sock} for control port
 * N (tgtadm's {@code -C N}), so several daemons run side by side. Both ends name it from here.
 */
public final class ControlSocket {

  private ControlSocket() {}

  /** The directory of the control sockets: {@code $LUNAR_CONTROL_DIR}, else {@code /run/lunar}. */
  public static Path defaultDirectory() {
    String dir = System.getenv("LUNAR_CONTROL_DIR");
    return Path.of(dir == null || dir.isEmpty() ? "/run/lunar" : dir);
  }

  /** The socket of control port {@code controlPort} in {@code dir}. */
  public static Path path(Path dir, int controlPort) {
    return dir.resolve("tgtd." + controlPort + ".sock");
  }
}
