package dev.lunar.agent.it;

/** What a finished child process printed and returned. */
record ProcessResult(int exitCode, String stdout, String stderr) {

  String all() {
    return stdout + stderr;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
