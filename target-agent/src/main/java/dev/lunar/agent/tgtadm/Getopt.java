package dev.lunar.agent.tgtadm;

import java.util.ArrayList;
import java.util.List;

/**
 * A small GNU {@code getopt_long}: short options (clustered, argument attached or next), long
 * options ({@code --name value}, {@code --name=value}, unique prefixes), non-options permuted to
 * the end and {@code --}. Errors carry glibc's exact wording, since tgtadm users see them.
 */
final class Getopt {

  /** One option as declared: its short letter, long name, and whether it takes an argument. */
  record Spec(char letter, String longName, boolean shortTakesArg, boolean longTakesArg) {}

  /** One option as found on the command line. */
  record Found(char letter, String value) {}

  /** A command-line error; {@code message} is printed after {@code "tgtadm: "}. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  private final List<Spec> specs;
  private final String[] args;
  private final List<String> nonOptions = new ArrayList<>();
  private int index;
  private String cluster = "";

  Getopt(List<Spec> specs, String[] args) {
    this.specs = specs;
    this.args = args;
  }

  /** The next option, or {@code null} at the end. */
  Found next() throws UsageException {
    if (!cluster.isEmpty()) {
      return shortOption();
    }
    while (index < args.length) {
      String arg = args[index++];
      if (arg.equals("--")) {
        while (index < args.length) {
          nonOptions.add(args[index++]);
        }
        return null;
      }
      if (arg.startsWith("--")) {
        return longOption(arg.substring(2));
      }
      if (arg.startsWith("-") && arg.length() > 1) {
        cluster = arg.substring(1);
        return shortOption();
      }
      nonOptions.add(arg);
    }
    return null;
  }

  /** Arguments that were not options, in order. */
  List<String> nonOptions() {
    return nonOptions;
  }

  private Found shortOption() throws UsageException {
    char letter = cluster.charAt(0);
    cluster = cluster.substring(1);
    Spec spec = specs.stream().filter(s -> s.letter() == letter).findFirst().orElse(null);
    if (spec == null) {
      throw new UsageException("invalid option -- '" + letter + "'");
    }
    if (!spec.shortTakesArg()) {
      return new Found(letter, null);
    }
    String value;
    if (!cluster.isEmpty()) {
      value = cluster;
      cluster = "";
    } else if (index < args.length) {
      value = args[index++];
    } else {
      throw new UsageException("option requires an argument -- '" + letter + "'");
    }
    return new Found(letter, value);
  }

  private Found longOption(String text) throws UsageException {
    int eq = text.indexOf('=');
    String name = eq < 0 ? text : text.substring(0, eq);
    String attached = eq < 0 ? null : text.substring(eq + 1);
    Spec spec = resolve(name);
    if (!spec.longTakesArg()) {
      if (attached != null) {
        throw new UsageException("option '--" + spec.longName() + "' doesn't allow an argument");
      }
      return new Found(spec.letter(), null);
    }
    if (attached != null) {
      return new Found(spec.letter(), attached);
    }
    if (index < args.length) {
      return new Found(spec.letter(), args[index++]);
    }
    throw new UsageException("option '--" + spec.longName() + "' requires an argument");
  }

  private Spec resolve(String name) throws UsageException {
    for (Spec spec : specs) {
      if (spec.longName().equals(name)) {
        return spec;
      }
    }
    List<Spec> candidates =
        specs.stream().filter(s -> !name.isEmpty() && s.longName().startsWith(name)).toList();
    if (candidates.size() == 1) {
      return candidates.getFirst();
    }
    if (candidates.isEmpty()) {
      throw new UsageException("unrecognized option '--" + name + "'");
    }
    StringBuilder message =
        new StringBuilder("option '--" + name + "' is ambiguous; possibilities:");
    candidates.forEach(c -> message.append(" '--").append(c.longName()).append('\''));
    throw new UsageException(message.toString());
  }
}
