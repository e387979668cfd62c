package dev.lunar.csi.node;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CommandRunner} for tests: records every command and answers from a script of rules, each
 * matching a fragment of the command line. The rule added last wins, so a test overrides the host's
 * usual answers with the failure it is about. Unmatched commands succeed silently.
 */
final class ScriptedRunner implements CommandRunner {

  /** An answer that may also change the fake host, as the real command would. */
  @FunctionalInterface
  interface Answer {
    Result answer(List<String> argv) throws IOException;
  }

  private record Rule(String fragment, Answer answer) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<Command> commands = new ArrayList<>();

  /** Answers commands whose space-joined argv contains {@code fragment}. */
  ScriptedRunner when(String fragment, Answer answer) {
    rules.add(new Rule(fragment, answer));
    return this;
  }

  ScriptedRunner when(String fragment, int exitCode, String stderr) {
    return when(fragment, argv -> new Result(exitCode, "", stderr));
  }

  static Result ok() {
    return new Result(0, "", "");
  }

  @Override
  public synchronized Result run(Command command, Duration timeout) throws IOException {
    commands.add(command);
    String line = String.join(" ", command.argv());
    for (int i = rules.size() - 1; i >= 0; i--) {
      if (line.contains(rules.get(i).fragment())) {
        return rules.get(i).answer().answer(command.argv());
      }
    }
    return ok();
  }

  /** Every command run so far, as argv lines. */
  synchronized List<String> lines() {
    return commands.stream().map(c -> String.join(" ", c.argv())).toList();
  }

  /** The commands as they would be logged. */
  synchronized List<String> shown() {
    return commands.stream().map(Command::toString).toList();
  }

  /** The lines of commands of one program whose line contains {@code fragment}. */
  List<String> linesWith(String fragment) {
    return lines().stream().filter(line -> line.contains(fragment)).toList();
  }

  synchronized void forget() {
    commands.clear();
  }
}
