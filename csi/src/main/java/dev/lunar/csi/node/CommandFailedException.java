package dev.lunar.csi.node;

import java.io.IOException;

/** A tool ended with an exit code that means failure; the message quotes the command (redacted). */
public final class CommandFailedException extends IOException {

  private final int exitCode;

  CommandFailedException(Command command, CommandRunner.Result result) {
    super(command + " failed (exit " + result.exitCode() + "): " + result.message());
    this.exitCode = result.exitCode();
  }

  public int exitCode() {
    return exitCode;
  }
}
