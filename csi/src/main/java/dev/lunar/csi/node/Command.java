package dev.lunar.csi.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One external command: its argv, and which of its arguments must never be shown. open-iscsi takes
 * CHAP secrets only as argv values, so the command that sets one marks that position hidden and
 * every log line and error message prints the command through {@link #toString()}.
 *
 * @param argv the program and its arguments
 * @param hidden positions in {@code argv} shown as {@code ***}
 */
public record Command(List<String> argv, Set<Integer> hidden) {

  public Command {
    argv = List.copyOf(argv);
    hidden = Set.copyOf(hidden);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs a program");
    }
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), Set.of());
  }

  /** A command whose last argument is a secret. */
  public static Command withSecretLast(String... argv) {
    return new Command(List.of(argv), Set.of(argv.length - 1));
  }

  public String program() {
    return argv.getFirst();
  }

  /** {@code text} with every hidden argument's value replaced, for output that might echo one. */
  public String redact(String text) {
    String redacted = text;
    for (int i : hidden) {
      if (!argv.get(i).isEmpty()) {
        redacted = redacted.replace(argv.get(i), "***");
      }
    }
    return redacted;
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>(argv.size());
    for (int i = 0; i < argv.size(); i++) {
      shown.add(hidden.contains(i) ? "***" : argv.get(i));
    }
    return String.join(" ", shown);
  }
}
