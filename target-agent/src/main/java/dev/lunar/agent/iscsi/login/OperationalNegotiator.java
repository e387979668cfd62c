package dev.lunar.agent.iscsi.login;

import dev.lunar.agent.iscsi.login.OperationalKey.Function;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The operational stage of one connection's login (RFC 7143 6.2, 13): answers the initiator's
 * offers with each key's result function, makes the target's own declarations, offers the keys
 * where our limits beat the RFC default, and checks the initiator's answers to those offers.
 *
 * <p>A key repeated in a later request with the same value gets the same answer again (libiscsi
 * resends its whole key set whenever the target stays in the stage); a changed value is a
 * renegotiation and fails the login (RFC 7143 6.2).
 */
final class OperationalNegotiator {

  static final String IRRELEVANT = "Irrelevant";

  private static final List<OperationalKey> OFFERED_BY_TARGET =
      List.of(
          OperationalKey.IMMEDIATE_DATA,
          OperationalKey.INITIAL_R2T,
          OperationalKey.MAX_BURST_LENGTH,
          OperationalKey.FIRST_BURST_LENGTH,
          OperationalKey.DEFAULT_TIME2WAIT,
          OperationalKey.DEFAULT_TIME2RETAIN,
          OperationalKey.MAX_CONNECTIONS,
          OperationalKey.MAX_OUTSTANDING_R2T,
          OperationalKey.HEADER_DIGEST,
          OperationalKey.DATA_DIGEST);

  private final TargetOffer offer;
  private final boolean discovery;
  private final boolean leading;
  private final Map<OperationalKey, String> results = new EnumMap<>(OperationalKey.class);
  private final Map<OperationalKey, String> initiatorOffers = new EnumMap<>(OperationalKey.class);
  private final Map<OperationalKey, String> answers = new EnumMap<>(OperationalKey.class);
  private final Map<OperationalKey, String> pending = new EnumMap<>(OperationalKey.class);
  private boolean declared;

  OperationalNegotiator(TargetOffer offer, boolean discovery, boolean leading) {
    this.offer = offer;
    this.discovery = discovery;
    this.leading = leading;
  }

  /**
   * Answers the operational keys of one request, in request order.
   *
   * @param keys pairs whose key is an {@link OperationalKey}
   * @throws LoginException initiator error for a renegotiation or a bad answer to our offer
   */
  List<TextParameter> negotiate(List<TextParameter> keys) throws LoginException {
    List<TextParameter> out = new ArrayList<>();
    int firstBurstSlot = -1;
    for (TextParameter p : keys) {
      OperationalKey key = OperationalKey.byName(p.key()).orElseThrow();
      if (pending.containsKey(key)) {
        acceptAnswer(key, p.value());
        continue;
      }
      String earlier = initiatorOffers.putIfAbsent(key, p.value());
      if (earlier != null) {
        if (!earlier.equals(p.value())) {
          throw LoginStatus.INITIATOR_ERROR.exception("renegotiation of " + key.wireName);
        }
        String answer = answers.get(key);
        if (answer != null) {
          out.add(new TextParameter(key.wireName, answer));
        }
        continue;
      }
      if (key == OperationalKey.FIRST_BURST_LENGTH) {
        // Answered last: its result depends on MaxBurstLength, InitialR2T and ImmediateData.
        firstBurstSlot = out.size();
        continue;
      }
      answer(key, p.value(), out);
    }
    if (firstBurstSlot >= 0) {
      List<TextParameter> tail = new ArrayList<>(out.subList(firstBurstSlot, out.size()));
      out.subList(firstBurstSlot, out.size()).clear();
      answer(
          OperationalKey.FIRST_BURST_LENGTH,
          initiatorOffers.get(OperationalKey.FIRST_BURST_LENGTH),
          out);
      out.addAll(tail);
    }
    return out;
  }

  /** Our own declarations, once per connection: MaxRecvDataSegmentLength (RFC 7143 13.12). */
  List<TextParameter> declarations() {
    if (declared) {
      return List.of();
    }
    declared = true;
    return List.of(
        new TextParameter(
            OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH.wireName,
            Integer.toString(offer.maxRecvDataSegmentLength())));
  }

  /**
   * Offers for keys the initiator left at their RFC default where our limits give a different
   * result. Each offer becomes pending: the initiator must answer it before login can complete.
   */
  List<TextParameter> targetOffers() {
    List<TextParameter> out = new ArrayList<>();
    for (OperationalKey key : OFFERED_BY_TARGET) {
      if (results.containsKey(key)
          || initiatorOffers.containsKey(key)
          || pending.containsKey(key)
          || !applies(key)
          || (key == OperationalKey.FIRST_BURST_LENGTH && firstBurstIrrelevant())) {
        continue;
      }
      String ours = ours(key);
      boolean differs =
          key.function == Function.LIST
              ? !List.of(ours.split(",")).contains(key.rfcDefault)
              : !key.combine(key.rfcDefault, ours).equals(key.rfcDefault);
      if (differs) {
        pending.put(key, ours);
        out.add(new TextParameter(key.wireName, ours));
      }
    }
    return out;
  }

  /** Whether offers of ours still await the initiator's answer. */
  boolean hasPendingOffers() {
    return !pending.isEmpty();
  }

  /** The values in force: negotiated ones, and RFC defaults for the rest. */
  NegotiatedParameters result() {
    return new NegotiatedParameters(
        Digest.fromWire(value(OperationalKey.HEADER_DIGEST)).orElseThrow(),
        Digest.fromWire(value(OperationalKey.DATA_DIGEST)).orElseThrow(),
        number(OperationalKey.MAX_CONNECTIONS),
        bool(OperationalKey.INITIAL_R2T),
        bool(OperationalKey.IMMEDIATE_DATA),
        Math.min(
            number(OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH), offer.maxXmitDataSegmentLength()),
        offer.maxRecvDataSegmentLength(),
        number(OperationalKey.MAX_BURST_LENGTH),
        Math.min(
            number(OperationalKey.FIRST_BURST_LENGTH), number(OperationalKey.MAX_BURST_LENGTH)),
        number(OperationalKey.DEFAULT_TIME2WAIT),
        number(OperationalKey.DEFAULT_TIME2RETAIN),
        number(OperationalKey.MAX_OUTSTANDING_R2T),
        bool(OperationalKey.DATA_PDU_IN_ORDER),
        bool(OperationalKey.DATA_SEQUENCE_IN_ORDER),
        number(OperationalKey.ERROR_RECOVERY_LEVEL),
        number(OperationalKey.PROTOCOL_LEVEL));
  }

  private void answer(OperationalKey key, String offer, List<TextParameter> out) {
    String answer = decide(key, offer);
    if (answer != null) {
      answers.put(key, answer);
      out.add(new TextParameter(key.wireName, answer));
    }
  }

  /** Our answer to an initiator's offer, or null for a declaration that needs none. */
  private String decide(OperationalKey key, String offer) {
    if (!applies(key)) {
      return IRRELEVANT;
    }
    if (key == OperationalKey.FIRST_BURST_LENGTH && firstBurstIrrelevant()) {
      return IRRELEVANT;
    }
    try {
      switch (key.function) {
        case OBSOLETE -> {
          return TextKeys.REJECT;
        }
        case DECLARATIVE -> {
          results.put(key, Long.toString(key.parseInRange(offer)));
          return null;
        }
        case LIST -> {
          List<String> supported = List.of(ours(key).split(","));
          for (String item : TextParameters.parseList(offer)) {
            if (supported.contains(item)) {
              results.put(key, item);
              return item;
            }
          }
          return TextKeys.REJECT;
        }
        default -> {
          String result = key.combine(offer, ours(key));
          if (key == OperationalKey.FIRST_BURST_LENGTH) {
            result =
                Long.toString(
                    Math.min(Long.parseLong(result), number(OperationalKey.MAX_BURST_LENGTH)));
          }
          results.put(key, result);
          return result;
        }
      }
    } catch (IllegalArgumentException e) {
      return TextKeys.REJECT; // malformed or out of range: the key keeps its default
    }
  }

  private void acceptAnswer(OperationalKey key, String answer) throws LoginException {
    String offered = pending.remove(key);
    if (answer.equals(IRRELEVANT)) {
      return; // the initiator finds the key moot (e.g. FirstBurstLength): the default stays
    }
    boolean valid;
    try {
      valid =
          switch (key.function) {
            case LIST -> List.of(offered.split(",")).contains(answer);
            // The answer must be what the result function gives for some valid initiator value.
            default -> key.combine(answer, offered).equals(normalize(key, answer));
          };
    } catch (IllegalArgumentException e) {
      valid = false;
    }
    if (!valid) {
      throw LoginStatus.INITIATOR_ERROR.exception(
          "invalid answer to the target's offer of " + key.wireName);
    }
    results.put(key, normalize(key, answer));
  }

  private static String normalize(OperationalKey key, String value) {
    return key.numeric() ? Long.toString(key.parseInRange(value)) : value;
  }

  private boolean applies(OperationalKey key) {
    return !(discovery && key.irrelevantInDiscovery) && !(!leading && key.leadingOnly);
  }

  private boolean firstBurstIrrelevant() {
    return bool(OperationalKey.INITIAL_R2T) && !bool(OperationalKey.IMMEDIATE_DATA);
  }

  /** Our value for a key: a number, Yes/No, or a comma list of what we support. */
  private String ours(OperationalKey key) {
    return switch (key) {
      case HEADER_DIGEST -> digests(offer.headerDigests());
      case DATA_DIGEST -> digests(offer.dataDigests());
      case MAX_CONNECTIONS -> Integer.toString(offer.maxConnections());
      case INITIAL_R2T -> TextParameters.formatBoolean(offer.initialR2T());
      case IMMEDIATE_DATA -> TextParameters.formatBoolean(offer.immediateData());
      case MAX_RECV_DATA_SEGMENT_LENGTH -> Integer.toString(offer.maxRecvDataSegmentLength());
      case MAX_BURST_LENGTH -> Integer.toString(offer.maxBurstLength());
      case FIRST_BURST_LENGTH ->
          Integer.toString(
              Math.min(offer.firstBurstLength(), number(OperationalKey.MAX_BURST_LENGTH)));
      case DEFAULT_TIME2WAIT -> Integer.toString(offer.defaultTime2Wait());
      case DEFAULT_TIME2RETAIN -> Integer.toString(offer.defaultTime2Retain());
      case MAX_OUTSTANDING_R2T -> Integer.toString(offer.maxOutstandingR2T());
      case DATA_PDU_IN_ORDER, DATA_SEQUENCE_IN_ORDER -> "Yes";
      case ERROR_RECOVERY_LEVEL -> "0";
      case OF_MARKER, IF_MARKER, RDMA_EXTENSIONS -> "No";
      case TASK_REPORTING -> "RFC3720";
      case PROTOCOL_LEVEL -> "1";
      case OF_MARK_INT, IF_MARK_INT -> "";
    };
  }

  private static String digests(List<Digest> digests) {
    return String.join(",", digests.stream().map(Digest::wireName).toList());
  }

  /** The agreed value, else our outstanding offer (so offers see each other), else the default. */
  private String value(OperationalKey key) {
    if (!applies(key)) {
      return key.rfcDefault;
    }
    return results.getOrDefault(key, pending.getOrDefault(key, key.rfcDefault));
  }

  private int number(OperationalKey key) {
    return (int) key.parseInRange(value(key));
  }

  private boolean bool(OperationalKey key) {
    return TextParameters.parseBoolean(value(key));
  }
}
