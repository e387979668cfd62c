package dev.lunar.agent.iscsi.login;

import java.util.Set;

/**
 * The text keys RFC 7143 defines, by class, and the answer a key gets where it has no use: the
 * security stage, the operational stage and the full feature phase answer from this one table.
 *
 * <pre>
 *   login declarations    InitiatorName InitiatorAlias SessionType TargetName   section 13
 *   target declarations   TargetAlias TargetAddress TargetPortalGroupTag        section 13
 *   security              AuthMethod CHAP_* SRP_* TargetAuth KRB_*              section 12
 *   operational           {@link OperationalKey}                                section 13
 *   discovery             SendTargets                                           13.3
 * </pre>
 *
 * A key of a class the RFC defines is understood, so where it does not belong it gets {@code
 * Reject}; any other key, X- and X# extensions included, gets {@code NotUnderstood} (6.2).
 */
public final class TextKeys {

  public static final String NOT_UNDERSTOOD = "NotUnderstood";
  public static final String REJECT = "Reject";
  public static final String SEND_TARGETS = "SendTargets";
  public static final String MAX_RECV_DATA_SEGMENT_LENGTH =
      OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH.wireName;

  static final Set<String> LOGIN_DECLARATIONS =
      Set.of("InitiatorName", "InitiatorAlias", "SessionType", "TargetName");

  private static final Set<String> TARGET_DECLARATIONS =
      Set.of("TargetAlias", "TargetAddress", "TargetPortalGroupTag");

  private static final Set<String> SECURITY =
      Set.of(
          "AuthMethod",
          "CHAP_A",
          "CHAP_I",
          "CHAP_C",
          "CHAP_N",
          "CHAP_R",
          "SRP_U",
          "SRP_GROUP",
          "SRP_A",
          "SRP_B",
          "SRP_M",
          "SRP_HM",
          "SRP_s",
          "TargetAuth",
          "KRB_AP_REQ",
          "KRB_AP_REP");

  private TextKeys() {}

  /** The answer to {@code key} where it has no use: Reject when the RFC defines it. */
  public static TextParameter outOfPlace(String key) {
    return new TextParameter(key, defined(key) ? REJECT : NOT_UNDERSTOOD);
  }

  /**
   * A MaxRecvDataSegmentLength value (512 to 2^24 - 1, RFC 7143 13.12).
   *
   * @throws IllegalArgumentException when malformed or out of range
   */
  public static int dataSegmentLength(String value) {
    return (int) OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH.parseInRange(value);
  }

  private static boolean defined(String key) {
    return LOGIN_DECLARATIONS.contains(key)
        || TARGET_DECLARATIONS.contains(key)
        || SECURITY.contains(key)
        || OperationalKey.byName(key).isPresent()
        || key.equals(SEND_TARGETS);
  }
}
