package dev.lunar.agent;

/**
 * {@code tgtd}: the daemon. Wired together once the engine, the control channel and the server
 * exist.
 */
final class TgtdCommand {

  private TgtdCommand() {}

  static int run(String[] args) {
    System.err.println("tgtd: not built yet");
    return 1;
  }
}
