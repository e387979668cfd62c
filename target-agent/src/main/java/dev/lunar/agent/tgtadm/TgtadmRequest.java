package dev.lunar.agent.tgtadm;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One tgtadm request as it travels from the tgtadm front to the daemon: the mode, the operation and
 * the options given, keyed by tgtadm's long option names ({@code tid}, {@code lun}, {@code
 * backing-store}, {@code initiator-address}, {@code params}, ...). Flags such as {@code force} and
 * {@code outgoing} are present with an empty value. {@link #toString} hides the password.
 *
 * @param mode tgtadm's mode, normalized: target, logicalunit, account, system, conn, session,
 *     portal, lld or stats
 * @param op new, delete, show, bind, unbind or update
 * @param options the other options by long name
 */
public record TgtadmRequest(String mode, String op, Map<String, String> options) {

  public TgtadmRequest {
    options = Map.copyOf(options);
  }

  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public boolean has(String name) {
    return options.containsKey(name);
  }

  /**
   * A numeric option; the front has already checked its syntax, so a bad value here means a
   * hand-made request and reads as absent.
   */
  public OptionalLong number(String name) {
    String value = options.get(name);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public String toString() {
    StringBuilder shown = new StringBuilder("TgtadmRequest[mode=" + mode + ", op=" + op);
    options.forEach(
        (k, v) ->
            shown.append(", ").append(k).append('=').append(k.equals("password") ? "***" : v));
    return shown.append(']').toString();
  }
}
