package dev.lunar.agent.tgtadm;

import static dev.lunar.agent.tgtadm.TgtadmArgs.refuse;

import dev.lunar.agent.tgtadm.TgtadmArgs.Refusal;
import java.util.List;
import java.util.Map;

/**
 * The checks tgtadm makes on its own before it talks to the daemon: which options each mode and
 * operation accepts (by short letter, in command-line order, {@code -d} always allowed) and which
 * it requires. Modes without rules here (conn, session, portal, lld, stats) go to the daemon as
 * they are, as in tgt.
 */
final class ModeRules {

  private ModeRules() {}

  static void check(String mode, String op, Map<String, String> options, List<Character> seen)
      throws Refusal {
    switch (mode) {
      case "system" -> system(op, options);
      case "target" -> target(op, options, seen);
      case "account" -> account(op, options, seen);
      case "logicalunit" -> logicalUnit(op, options, seen);
      default -> {}
    }
  }

  private static void system(String op, Map<String, String> options) throws Refusal {
    switch (op) {
      case "show", "delete" -> {}
      case "update" -> requireNameValue(options);
      default -> throw unsupported(op, "system");
    }
  }

  private static void target(String op, Map<String, String> options, List<Character> seen)
      throws Refusal {
    if (!op.equals("show")) {
      if ("0".equals(options.get("tid"))) {
        throw refuse("'tid' cannot be 0");
      }
      if (!options.containsKey("tid")) {
        throw refuse("'tid' option is necessary");
      }
    }
    switch (op) {
      case "new" -> {
        allow("target", "LmotTC", seen);
        if (!options.containsKey("targetname")) {
          throw refuse("creating new target requires a name, use --targetname");
        }
      }
      case "delete" -> allow("target", "LmotCF", seen);
      case "show" -> allow("target", "LmotC", seen);
      case "bind", "unbind" -> {
        allow("target", "LmotIQBHC", seen);
        if (!options.containsKey("initiator-address")
            && !options.containsKey("initiator-name")
            && !options.containsKey("host")
            && !options.containsKey("bus")) {
          // sic: tgt's message lacks the space before "or".
          throw refuse(op + " operation requires initiator-address, initiator-nameor bus");
        }
      }
      case "update" -> {
        allow("target", "LmotnvC", seen);
        requireNameValue(options);
      }
      default -> throw unsupported(op, "target");
    }
  }

  private static void account(String op, Map<String, String> options, List<Character> seen)
      throws Refusal {
    switch (op) {
      case "new" -> {
        allow("account", "LmoupC", seen);
        if (!options.containsKey("user") || !options.containsKey("password")) {
          throw refuse("'user' and 'password' options are required");
        }
      }
      case "show" -> allow("account", "LmoC", seen);
      case "delete" -> allow("account", "LmouC", seen);
      case "bind", "unbind" -> {
        allow("account", "LmotuOC", seen);
        if (!options.containsKey("user")) {
          throw refuse("'user' option is necessary");
        }
      }
      default -> throw unsupported(op, "account");
    }
  }

  private static void logicalUnit(String op, Map<String, String> options, List<Character> seen)
      throws Refusal {
    if ("0".equals(options.get("tid"))) {
      throw refuse("'tid' must not be 0");
    }
    if (!options.containsKey("tid")) {
      throw refuse("'tid' option is necessary");
    }
    if (!options.containsKey("lun")) {
      throw refuse("'lun' option is necessary");
    }
    switch (op) {
      case "new" -> allow("logicalunit", "LmofytlbEYC", seen);
      case "delete" -> allow("logicalunit", "LmotlC", seen);
      case "update" -> {
        Character bad = firstNotAllowed("LmofytlPC", seen);
        if (bad != null) {
          throw refuse("option '-" + bad + "' not supported in logicalunit mode");
        }
      }
      default -> throw unsupported(op, "logicalunit");
    }
  }

  private static void requireNameValue(Map<String, String> options) throws Refusal {
    if (!options.containsKey("name") || !options.containsKey("value")) {
      throw refuse("update operation requires 'name' and 'value' options");
    }
  }

  private static Refusal unsupported(String op, String mode) {
    return refuse("operation " + op + " not supported in " + mode + " mode");
  }

  private static void allow(String mode, String allowed, List<Character> seen) throws Refusal {
    Character bad = firstNotAllowed(allowed, seen);
    if (bad != null) {
      throw refuse(mode + " mode: option '-" + bad + "' is not allowed/supported");
    }
  }

  private static Character firstNotAllowed(String allowed, List<Character> seen) {
    for (char letter : seen) {
      if (letter != 'd' && allowed.indexOf(letter) < 0) {
        return letter;
      }
    }
    return null;
  }
}
