package dev.lunar.agent.tgtadm;

/** {@code tgtadm}: the control client. */
public final class TgtadmCommand {

  private TgtadmCommand() {}

  public static int run(String[] args) {
    System.err.println("tgtadm: not built yet");
    return 1;
  }
}
