package dev.lunar.agent.iscsi.login;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operational keys of RFC 7143 section 13 (plus iSCSIProtocolLevel of RFC 7144 and
 * RDMAExtensions of RFC 7145), each with its result function, value range, RFC default, and where
 * it applies. Login keys (names, SessionType, AuthMethod) are handled by {@link LoginNegotiation}.
 */
enum OperationalKey {
  HEADER_DIGEST("HeaderDigest", Function.LIST, false, false, 0, 0, "None"),
  DATA_DIGEST("DataDigest", Function.LIST, false, false, 0, 0, "None"),
  MAX_CONNECTIONS("MaxConnections", Function.MIN, true, true, 1, 65535, "1"),
  INITIAL_R2T("InitialR2T", Function.OR, true, true, 0, 0, "Yes"),
  IMMEDIATE_DATA("ImmediateData", Function.AND, true, true, 0, 0, "Yes"),
  MAX_RECV_DATA_SEGMENT_LENGTH(
      "MaxRecvDataSegmentLength",
      Function.DECLARATIVE,
      false,
      false,
      TargetOffer.MIN_DATA_LENGTH,
      TargetOffer.MAX_DATA_LENGTH,
      "8192"),
  MAX_BURST_LENGTH(
      "MaxBurstLength",
      Function.MIN,
      true,
      true,
      TargetOffer.MIN_DATA_LENGTH,
      TargetOffer.MAX_DATA_LENGTH,
      "262144"),
  FIRST_BURST_LENGTH(
      "FirstBurstLength",
      Function.MIN,
      true,
      true,
      TargetOffer.MIN_DATA_LENGTH,
      TargetOffer.MAX_DATA_LENGTH,
      "65536"),
  DEFAULT_TIME2WAIT("DefaultTime2Wait", Function.MAX, true, false, 0, 3600, "2"),
  DEFAULT_TIME2RETAIN("DefaultTime2Retain", Function.MIN, true, false, 0, 3600, "20"),
  MAX_OUTSTANDING_R2T("MaxOutstandingR2T", Function.MIN, true, true, 1, 65535, "1"),
  DATA_PDU_IN_ORDER("DataPDUInOrder", Function.OR, true, true, 0, 0, "Yes"),
  DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", Function.OR, true, true, 0, 0, "Yes"),
  ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", Function.MIN, true, false, 0, 2, "0"),
  OF_MARKER("OFMarker", Function.AND, false, false, 0, 0, "No"),
  IF_MARKER("IFMarker", Function.AND, false, false, 0, 0, "No"),
  OF_MARK_INT("OFMarkInt", Function.OBSOLETE, false, false, 0, 0, ""),
  IF_MARK_INT("IFMarkInt", Function.OBSOLETE, false, false, 0, 0, ""),
  TASK_REPORTING("TaskReporting", Function.LIST, true, true, 0, 0, "RFC3720"),
  PROTOCOL_LEVEL("iSCSIProtocolLevel", Function.MIN, true, true, 0, 31, "1"),
  RDMA_EXTENSIONS("RDMAExtensions", Function.AND, true, true, 0, 0, "No");

  /** How the two sides' values combine (RFC 7143 6.2). */
  enum Function {
    MIN,
    MAX,
    AND,
    OR,
    /** The first value of the initiator's list that we support. */
    LIST,
    /** Each side states its own value; nothing to answer. */
    DECLARATIVE,
    /** Marker interval keys removed by RFC 7143 13.26: always answered Reject. */
    OBSOLETE
  }

  private static final Map<String, OperationalKey> BY_NAME = new HashMap<>();

  static {
    for (OperationalKey k : values()) {
      BY_NAME.put(k.wireName, k);
    }
  }

  final String wireName;
  final Function function;
  final boolean leadingOnly;
  final boolean irrelevantInDiscovery;
  final long min;
  final long max;
  final String rfcDefault;

  OperationalKey(
      String wireName,
      Function function,
      boolean leadingOnly,
      boolean irrelevantInDiscovery,
      long min,
      long max,
      String rfcDefault) {
    this.wireName = wireName;
    this.function = function;
    this.leadingOnly = leadingOnly;
    this.irrelevantInDiscovery = irrelevantInDiscovery;
    this.min = min;
    this.max = max;
    this.rfcDefault = rfcDefault;
  }

  static Optional<OperationalKey> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  boolean numeric() {
    return function == Function.MIN || function == Function.MAX || function == Function.DECLARATIVE;
  }

  boolean bool() {
    return function == Function.AND || function == Function.OR;
  }

  /** Parses a numeric value of this key within its range, or throws IllegalArgumentException. */
  long parseInRange(String value) {
    long n = TextParameters.parseNumber(value);
    if (n < min || n > max) {
      throw new IllegalArgumentException(wireName + " out of range");
    }
    return n;
  }

  /** Applies this key's result function to two valid values (MIN, MAX, AND, OR only). */
  String combine(String a, String b) {
    return switch (function) {
      case MIN -> Long.toString(Math.min(parseInRange(a), parseInRange(b)));
      case MAX -> Long.toString(Math.max(parseInRange(a), parseInRange(b)));
      case AND ->
          TextParameters.formatBoolean(
              TextParameters.parseBoolean(a) && TextParameters.parseBoolean(b));
      case OR ->
          TextParameters.formatBoolean(
              TextParameters.parseBoolean(a) || TextParameters.parseBoolean(b));
      default -> throw new IllegalStateException(wireName + " has no combining function");
    };
  }
}
