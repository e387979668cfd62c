package dev.lunar.agent.iscsi.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the target offers in operational negotiation (RFC 7143 13), before the result functions
 * combine it with the initiator's offer into the {@link NegotiatedParameters}.
 *
 * <p>Defaults, and why: MaxRecvDataSegmentLength 262144 (32x the RFC default: fewer, larger
 * Data-Out PDUs per write); MaxBurstLength 1048576 (a 1 MiB write or read needs one R2T or one
 * sequence); FirstBurstLength 65536 (the RFC default: bounds unsolicited data we buffer per
 * command); MaxOutstandingR2T 1 (one R2T per task keeps the data path simple, and with 1 MiB bursts
 * most writes need only one); MaxConnections 8 (multi-connection sessions as tgt allows);
 * ImmediateData Yes (saves a round trip for small writes); InitialR2T Yes (as tgt: the data path
 * then needs no unsolicited Data-Out beyond immediate data); DefaultTime2Wait 2 and
 * DefaultTime2Retain 20 (the RFC defaults); digests CRC32C or None, whichever the initiator lists
 * first. DataPDUInOrder and DataSequenceInOrder are always Yes and ErrorRecoveryLevel always 0:
 * only those are implemented.
 *
 * @param maxRecvDataSegmentLength the largest data segment we accept, declared to the initiator
 * @param maxXmitDataSegmentLength cap on the segments we send, below the initiator's declaration
 * @param maxBurstLength our offer for MaxBurstLength
 * @param firstBurstLength our offer for FirstBurstLength
 * @param maxOutstandingR2T our offer for MaxOutstandingR2T
 * @param maxConnections our offer for MaxConnections
 * @param initialR2T our value for InitialR2T (OR: Yes forces Yes)
 * @param immediateData our value for ImmediateData (AND: No forces No)
 * @param defaultTime2Wait our offer for DefaultTime2Wait (MAX)
 * @param defaultTime2Retain our offer for DefaultTime2Retain (MIN)
 * @param headerDigests header digests we accept
 * @param dataDigests data digests we accept
 */
public record TargetOffer(
    int maxRecvDataSegmentLength,
    int maxXmitDataSegmentLength,
    int maxBurstLength,
    int firstBurstLength,
    int maxOutstandingR2T,
    int maxConnections,
    boolean initialR2T,
    boolean immediateData,
    int defaultTime2Wait,
    int defaultTime2Retain,
    List<Digest> headerDigests,
    List<Digest> dataDigests) {

  /** Lower bound of the data length keys (RFC 7143 13.12..13.14). */
  public static final int MIN_DATA_LENGTH = 512;

  /** Upper bound of the data length keys: 2^24 - 1. */
  public static final int MAX_DATA_LENGTH = (1 << 24) - 1;

  public static final TargetOffer DEFAULTS =
      new TargetOffer(
          262144,
          MAX_DATA_LENGTH,
          1048576,
          65536,
          1,
          8,
          true,
          true,
          2,
          20,
          List.of(Digest.CRC32C, Digest.NONE),
          List.of(Digest.CRC32C, Digest.NONE));

  /** The RFC key names {@link #withOverrides} accepts. */
  public static final Set<String> OVERRIDABLE_KEYS =
      Set.of(
          "MaxRecvDataSegmentLength",
          "MaxXmitDataSegmentLength",
          "MaxBurstLength",
          "FirstBurstLength",
          "MaxOutstandingR2T",
          "MaxConnections",
          "InitialR2T",
          "ImmediateData",
          "DefaultTime2Wait",
          "DefaultTime2Retain",
          "HeaderDigest",
          "DataDigest");

  public TargetOffer {
    checkRange("MaxRecvDataSegmentLength", maxRecvDataSegmentLength, MIN_DATA_LENGTH);
    checkRange("MaxXmitDataSegmentLength", maxXmitDataSegmentLength, MIN_DATA_LENGTH);
    checkRange("MaxBurstLength", maxBurstLength, MIN_DATA_LENGTH);
    checkRange("FirstBurstLength", firstBurstLength, MIN_DATA_LENGTH);
    if (firstBurstLength > maxBurstLength) {
      throw new IllegalArgumentException("FirstBurstLength must not exceed MaxBurstLength");
    }
    checkBetween("MaxOutstandingR2T", maxOutstandingR2T, 1, 65535);
    checkBetween("MaxConnections", maxConnections, 1, 65535);
    checkBetween("DefaultTime2Wait", defaultTime2Wait, 0, 3600);
    checkBetween("DefaultTime2Retain", defaultTime2Retain, 0, 3600);
    headerDigests = List.copyOf(headerDigests);
    dataDigests = List.copyOf(dataDigests);
    if (headerDigests.isEmpty() || dataDigests.isEmpty()) {
      throw new IllegalArgumentException("at least one digest must be allowed");
    }
  }

  /**
   * This offer with per-target overrides by RFC key name (a {@code TargetSpec.params()} map).
   *
   * @throws IllegalArgumentException naming the key for an unknown key or an invalid value
   */
  public TargetOffer withOverrides(Map<String, String> params) {
    int recv = maxRecvDataSegmentLength;
    int xmit = maxXmitDataSegmentLength;
    int burst = maxBurstLength;
    int first = firstBurstLength;
    int r2t = maxOutstandingR2T;
    int conns = maxConnections;
    boolean initial = initialR2T;
    boolean immediate = immediateData;
    int wait = defaultTime2Wait;
    int retain = defaultTime2Retain;
    List<Digest> header = headerDigests;
    List<Digest> data = dataDigests;
    for (Map.Entry<String, String> e : params.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      try {
        switch (key) {
          case "MaxRecvDataSegmentLength" -> recv = number(value);
          case "MaxXmitDataSegmentLength" -> xmit = number(value);
          case "MaxBurstLength" -> burst = number(value);
          case "FirstBurstLength" -> first = number(value);
          case "MaxOutstandingR2T" -> r2t = number(value);
          case "MaxConnections" -> conns = number(value);
          case "InitialR2T" -> initial = TextParameters.parseBoolean(value);
          case "ImmediateData" -> immediate = TextParameters.parseBoolean(value);
          case "DefaultTime2Wait" -> wait = number(value);
          case "DefaultTime2Retain" -> retain = number(value);
          case "HeaderDigest" -> header = digests(value);
          case "DataDigest" -> data = digests(value);
          default -> throw new IllegalArgumentException("not a negotiable target parameter");
        }
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "parameter " + key + "=" + value + ": " + ex.getMessage(), ex);
      }
    }
    return new TargetOffer(
        recv, xmit, burst, first, r2t, conns, initial, immediate, wait, retain, header, data);
  }

  private static int number(String value) {
    long n = TextParameters.parseNumber(value);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("out of range");
    }
    return (int) n;
  }

  private static List<Digest> digests(String value) {
    List<Digest> result = new ArrayList<>();
    for (String item : TextParameters.parseList(value)) {
      result.add(
          Digest.fromWire(item)
              .orElseThrow(() -> new IllegalArgumentException("unknown digest " + item)));
    }
    return result;
  }

  private static void checkRange(String key, int value, int min) {
    checkBetween(key, value, min, MAX_DATA_LENGTH);
  }

  private static void checkBetween(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be within " + min + ".." + max);
    }
  }
}
