package dev.lunar.agent.tgtadm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs tgt's real tgtadm and this one with the same arguments, capturing what each prints. */
final class TgtadmRuns {

  static final Path REAL_TGTADM = Path.of("/usr/sbin/tgtadm");

  /** What one run printed and its exit status. */
  record Result(int status, String stdout, String stderr) {}

  private TgtadmRuns() {}

  static Result real(List<String> args) throws IOException, InterruptedException {
    // Run it as plain "tgtadm": getopt's messages start with argv[0].
    List<String> command = new ArrayList<>(List.of("tgtadm"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", REAL_TGTADM.getParent().toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), out, err);
  }

  static Result ours(List<String> args, Path controlDir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        TgtadmCommand.run(
            args.toArray(String[]::new),
            controlDir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
