package dev.lunar.agent.tgtadm;

import dev.lunar.agent.tgtadm.Getopt.Found;
import dev.lunar.agent.tgtadm.Getopt.Spec;
import dev.lunar.agent.tgtadm.Getopt.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tgtadm's command line, read the way tgt 1.0.85 reads it: options are acted on in order (so {@code
 * --help} or a bad {@code --op} stops at once), then the mode's own checks run. The result is
 * either a request for the daemon or something to print and an exit status. Every message and
 * status here was observed from the real tgtadm.
 */
final class TgtadmArgs {

  /** EINVAL: tgtadm's status for every refused command line and every daemon error. */
  static final int EINVAL = 22;

  /** What to do: send {@code request} to the daemon on {@code controlPort}, or print and exit. */
  sealed interface Outcome {}

  record Send(TgtadmRequest request, int controlPort) implements Outcome {}

  record Exit(int status, String stdout, String stderr) implements Outcome {}

  /** tgt's options: letter, long name, short takes an argument, long takes an argument. */
  private static final List<Spec> SPECS =
      List.of(
          new Spec('d', "debug", false, false),
          new Spec('h', "help", false, false),
          new Spec('V', "version", false, false),
          new Spec('L', "lld", true, true),
          new Spec('o', "op", true, true),
          new Spec('m', "mode", true, true),
          new Spec('t', "tid", true, true),
          new Spec('s', "sid", true, true),
          new Spec('c', "cid", true, true),
          new Spec('l', "lun", true, true),
          new Spec('n', "name", true, true),
          new Spec('v', "value", true, true),
          new Spec('b', "backing-store", true, true),
          new Spec('E', "bstype", true, true),
          new Spec('f', "bsoflags", true, true),
          new Spec('y', "blocksize", true, true),
          new Spec('T', "targetname", true, true),
          new Spec('I', "initiator-address", true, true),
          new Spec('Q', "initiator-name", true, true),
          new Spec('u', "user", true, true),
          new Spec('p', "password", true, true),
          new Spec('H', "host", true, true),
          // tgt declares -F and -O as taking an argument but --force and --outgoing as flags.
          new Spec('F', "force", true, false),
          new Spec('P', "params", true, true),
          new Spec('B', "bus", true, true),
          new Spec('Y', "device-type", true, true),
          new Spec('O', "outgoing", true, false),
          new Spec('C', "control-port", true, true));

  private static final Map<String, String> MODES =
      Map.ofEntries(
          Map.entry("system", "system"),
          Map.entry("sys", "system"),
          Map.entry("target", "target"),
          Map.entry("tgt", "target"),
          Map.entry("logicalunit", "logicalunit"),
          Map.entry("lu", "logicalunit"),
          Map.entry("portal", "portal"),
          Map.entry("pt", "portal"),
          Map.entry("session", "session"),
          Map.entry("sess", "session"),
          Map.entry("connection", "conn"),
          Map.entry("conn", "conn"),
          Map.entry("account", "account"),
          Map.entry("lld", "lld"),
          Map.entry("stats", "stats"));

  private static final List<String> OPS =
      List.of("new", "delete", "bind", "unbind", "show", "update", "stat", "start", "stop");

  private static final List<String> DEVICE_TYPES =
      List.of("disk", "tape", "cd", "changer", "osd", "ssc", "pt");

  private TgtadmArgs() {}

  static Outcome parse(String[] args) {
    try {
      return parseOrThrow(args);
    } catch (UsageException e) {
      return usageError("tgtadm: " + e.getMessage() + "\n");
    } catch (Refusal refusal) {
      return refusal.exit;
    }
  }

  /** A command line refused with a fixed message and status. */
  static final class Refusal extends Exception {
    final Exit exit;

    Refusal(Exit exit) {
      super(null, null, false, false);
      this.exit = exit;
    }
  }

  private static Exit usageError(String firstLines) {
    return new Exit(EINVAL, "", firstLines + "Try `tgtadm --help' for more information.\n");
  }

  static Refusal refuse(String message) {
    return new Refusal(new Exit(EINVAL, "", "tgtadm: " + message + "\n"));
  }

  private static Outcome parseOrThrow(String[] args) throws UsageException, Refusal {
    Getopt getopt = new Getopt(SPECS, args);
    List<Character> seen = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    String mode = null;
    String op = null;
    int controlPort = 0;
    for (Found found = getopt.next(); found != null; found = getopt.next()) {
      seen.add(found.letter());
      String value = found.value();
      switch (found.letter()) {
        case 'h' -> {
          return new Exit(0, TgtadmHelp.TEXT, "");
        }
        case 'V' -> {
          return new Exit(0, TgtadmHelp.VERSION + "\n", "");
        }
        case 'd' -> {}
        case 'm' -> {
          mode = MODES.get(value);
          if (mode == null) {
            throw new Refusal(new Exit(1, "", "tgtadm: unknown mode: " + value + "\n"));
          }
        }
        case 'o' -> {
          if (!OPS.contains(value)) {
            throw new Refusal(new Exit(1, "", "tgtadm: unknown operation: " + value + "\n"));
          }
          op = value;
        }
        case 't' -> options.put("tid", number('t', value, Integer.MAX_VALUE));
        case 's' -> options.put("sid", number('s', value, Long.MAX_VALUE));
        case 'c' -> options.put("cid", number('c', value, 0xffff_ffffL));
        case 'l' -> options.put("lun", lun(value));
        // A signed short in tgt: control ports stop at 32767.
        case 'C' -> controlPort = Integer.parseInt(number('C', value, Short.MAX_VALUE));
        case 'H' -> options.put("host", number('H', value, 0xffff_ffffL));
        case 'F' -> options.put("force", "");
        case 'O' -> options.put("outgoing", "");
        case 'Y' -> {
          if (!DEVICE_TYPES.contains(value)) {
            throw refuse("unknown target type: " + value);
          }
          options.put("device-type", value);
        }
        default -> options.put(longName(found.letter()), value);
      }
    }
    if (!getopt.nonOptions().isEmpty()) {
      return usageError("tgtadm: unrecognized option '" + getopt.nonOptions().getFirst() + "'\n");
    }
    if (op == null) {
      throw refuse("specify the operation type");
    }
    if (mode == null) {
      throw refuse("specify the mode");
    }
    ModeRules.check(mode, op, options, seen);
    return new Send(new TgtadmRequest(mode, op, options), controlPort);
  }

  private static String longName(char letter) {
    return SPECS.stream().filter(s -> s.letter() == letter).findFirst().orElseThrow().longName();
  }

  /**
   * tgt's {@code str_to_int}: strtoull with base 0 (so {@code 0x10} and {@code 010} work), trailing
   * junk ignored, a sign or no digits refused as invalid, too big as out of range.
   */
  private static String number(char letter, String text, long max) throws UsageException, Refusal {
    String trimmed = text.stripLeading();
    int radix = 10;
    int start = 0;
    if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
      radix = 16;
      start = 2;
    } else if (trimmed.startsWith("0") && trimmed.length() > 1) {
      radix = 8;
      start = 1;
    }
    int end = start;
    while (end < trimmed.length() && Character.digit(trimmed.charAt(end), radix) >= 0) {
      end++;
    }
    if (end == start && !(radix == 8)) {
      throw badValue(letter, text, "invalid");
    }
    if (end == start) {
      return "0";
    }
    try {
      long value = Long.parseLong(trimmed.substring(start, end), radix);
      if (value > max) {
        throw badValue(letter, text, "out of range");
      }
      return Long.toString(value);
    } catch (NumberFormatException e) {
      throw badValue(letter, text, "out of range");
    }
  }

  /** tgtadm lets a negative LUN through to the daemon, which refuses it as an invalid request. */
  private static String lun(String text) throws UsageException, Refusal {
    if (text.stripLeading().startsWith("-")) {
      return "-1";
    }
    return number('l', text, Long.MAX_VALUE);
  }

  private static Refusal badValue(char letter, String text, String what) {
    return new Refusal(usageError("-" + letter + " argument value '" + text + "' " + what + "\n"));
  }
}
