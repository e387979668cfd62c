package dev.lunar.csi.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * This node's iSCSI initiator name, as open-iscsi keeps it. It is the node's CSI node ID: the
 * controller puts it into a target's ACL when it publishes a volume to this node, and iscsid logs
 * in with it, so the two must be the one name.
 */
public final class InitiatorName {

  /** Where open-iscsi keeps it (its package makes the name at install). */
  public static final Path DEFAULT_FILE = Path.of("/etc/iscsi/initiatorname.iscsi");

  private static final String KEY = "InitiatorName=";

  private InitiatorName() {}

  /**
   * The {@code InitiatorName=} line's value.
   *
   * @throws IOException when the file is missing or names no initiator
   */
  public static String read(Path file) throws IOException {
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.startsWith(KEY) && trimmed.length() > KEY.length()) {
          return trimmed.substring(KEY.length()).strip();
        }
      }
    } catch (NoSuchFileException e) {
      throw new IOException(
          file + " does not exist: install open-iscsi on the node, or give the node ID");
    }
    throw new IOException(file + " has no " + KEY + " line");
  }
}
