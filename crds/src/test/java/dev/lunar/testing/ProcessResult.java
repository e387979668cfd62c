package dev.lunar.testing;

/** What a finished child process printed and returned. */
public record ProcessResult(int exitCode, String stdout, String stderr) {

  /** Both streams, stdout first. */
  public String all() {
    return stdout + stderr;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
