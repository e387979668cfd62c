package dev.lunar.csi.node;

import java.io.IOException;

/**
 * A tool ended with an exit code that means failure. The message quotes the command and the tool's
 * words with hidden arguments masked, even where the tool echoes them.
 */
public final class CommandFailedException extends IOException {

  private final int exitCode;

  CommandFailedException(Command command, CommandRunner.Result result) {
    super(
        command + " failed (exit " + result.exitCode() + "): " + command.redact(result.message()));
    this.exitCode = result.exitCode();
  }

  public int exitCode() {
    return exitCode;
  }
}
