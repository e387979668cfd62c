package dev.lunar.csi.node;

import java.io.IOException;
import java.time.Duration;

/**
 * Runs the node's tools (iscsiadm, blkid, mkfs, mount, umount). Everything the node service does to
 * the host's iSCSI initiator and file systems goes through here, so that tests can script the
 * tools' answers and record what was asked of them.
 */
public interface CommandRunner {

  /**
   * Runs {@code command} to its end and answers its exit code and output.
   *
   * @throws IOException when the program cannot be started or does not end within {@code timeout}
   *     (it is killed then); the message shows the command only as {@link Command#toString()}
   */
  Result run(Command command, Duration timeout) throws IOException;

  /** What a command answered. */
  record Result(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
      return exitCode == 0;
    }

    /** The first non-blank line of stderr, else of stdout: what a tool says about its failure. */
    public String message() {
      for (String text : new String[] {stderr, stdout}) {
        for (String line : text.split("\n")) {
          if (!line.isBlank()) {
            return line.strip();
          }
        }
      }
      return "no output";
    }
  }
}
