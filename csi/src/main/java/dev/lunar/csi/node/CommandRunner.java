package dev.lunar.csi.node;

import static java.util.stream.Collectors.joining;

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

    /** Enough for any tool's error; a runaway output is not worth a huge gRPC status. */
    private static final int MAX_MESSAGE = 1000;

    public boolean succeeded() {
      return exitCode == 0;
    }

    /**
     * What a tool says about its failure: its non-blank stderr lines (else stdout's) joined. All of
     * them, since iscsiadm puts the cause (e.g. "initiator reported error (20 - could not connect
     * to iscsid)") after a generic first line.
     */
    public String message() {
      for (String text : new String[] {stderr, stdout}) {
        String joined =
            text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(joining("; "));
        if (!joined.isEmpty()) {
          return joined.length() > MAX_MESSAGE ? joined.substring(0, MAX_MESSAGE) + "..." : joined;
        }
      }
      return "no output";
    }
  }
}
