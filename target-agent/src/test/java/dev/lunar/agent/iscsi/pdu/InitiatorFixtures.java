package dev.lunar.agent.iscsi.pdu;

/** Hand-built initiator PDUs as they appear on the wire, one named fixture per case. */
final class InitiatorFixtures {

  private InitiatorFixtures() {}

  /** NOP-Out ping, immediate, ITT 0x10, TTT 0xffffffff, CmdSN 0x21, ExpStatSN 0x33, "ping". */
  static final String NOP_OUT_PING =
      """
      40 80 00 00  00 00 00 04            // I + 0x00, F, AHS 0, DSL 4
      00 00 00 00 00 00 00 00             // LUN 0
      00 00 00 10  ff ff ff ff            // ITT, TTT
      00 00 00 21  00 00 00 33            // CmdSN, ExpStatSN
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      70 69 6e 67                         // "ping"
      """;

  /** READ(10) of 8 blocks from LUN 1, F+R, SIMPLE, ITT 0x2a, EDTL 4096. */
  static final String SCSI_READ_10 =
      """
      01 c1 00 00  00 00 00 00            // 0x01, F R attr 1, AHS 0, DSL 0
      00 01 00 00 00 00 00 00             // LUN 1
      00 00 00 2a  00 00 10 00            // ITT, EDTL 4096
      00 00 01 00  00 00 02 00            // CmdSN 0x100, ExpStatSN 0x200
      28 00 00 00 00 08 00 00 08 00 00 00 00 00 00 00
      """;

  /** WRITE(10) with 8 bytes of immediate data, F+W, SIMPLE, ITT 0x2b, EDTL 512. */
  static final String SCSI_WRITE_10_IMMEDIATE_DATA =
      """
      01 a1 00 00  00 00 00 08            // 0x01, F W attr 1, AHS 0, DSL 8
      00 00 00 00 00 00 00 00             // LUN 0
      00 00 00 2b  00 00 02 00            // ITT, EDTL 512
      00 00 01 01  00 00 02 00            // CmdSN 0x101, ExpStatSN 0x200
      2a 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00
      01 02 03 04 05 06 07 08             // immediate data
      """;

  /** Bidirectional 32-byte CDB: Extended CDB AHS (16 bytes) then bidi read length AHS (8192). */
  static final String SCSI_BIDI_32_BYTE_CDB =
      """
      01 e0 00 00  07 00 00 00            // 0x01, F R W, TotalAHSLength 7 words, DSL 0
      00 00 00 00 00 00 00 00
      00 00 00 2c  00 00 10 00            // ITT, EDTL 4096
      00 00 01 02  00 00 02 00
      7f 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
      00 11 01 00                         // AHSLength 17, type 1 extended CDB, reserved
      10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
      00 05 02 00  00 00 20 00            // AHSLength 5, type 2, bidi read length 8192
      """;

  /** SCSI Command whose AHS has type 9, which no RFC defines. */
  static final String SCSI_UNKNOWN_AHS_TYPE =
      """
      01 c1 00 00  01 00 00 00            // TotalAHSLength 1 word
      00 00 00 00 00 00 00 00
      00 00 00 2d  00 00 00 00
      00 00 01 03  00 00 02 00
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      00 01 09 00                         // AHSLength 1, type 9
      """;

  /** ABORT TASK for ITT 0x2a, immediate, LUN 1. */
  static final String TMF_ABORT_TASK =
      """
      42 81 00 00  00 00 00 00            // I + 0x02, function 1
      00 01 00 00 00 00 00 00
      00 00 00 30  00 00 00 2a            // ITT, referenced task tag
      00 00 01 02  00 00 02 01            // CmdSN, ExpStatSN
      00 00 01 00  00 00 00 00            // RefCmdSN, ExpDataSN
      00 00 00 00 00 00 00 00
      """;

  /** Task management request with function code 14, which RFC 7143 leaves undefined. */
  static final String TMF_UNKNOWN_FUNCTION =
      """
      42 8e 00 00  00 00 00 00
      00 00 00 00 00 00 00 00
      00 00 00 31  ff ff ff ff
      00 00 01 03  00 00 02 01
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      """;

  /** First login PDU: T, CSG 1 (operational), NSG 3 (full feature), 18 bytes of text + 2 pad. */
  static final String LOGIN_REQUEST =
      """
      43 87 00 00  00 00 00 12            // I + 0x03, T CSG 1 NSG 3, versions 0/0, DSL 18
      02 3d 00 00 00 01  00 00            // ISID 0x023d00000001, TSIH 0
      0a 0b 0c 0d  00 01 00 00            // ITT, CID 1
      00 00 00 01  00 00 00 00            // CmdSN 1, ExpStatSN 0
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      48 65 61 64 65 72 44 69 67 65 73 74 3d 4e 6f 6e 65 00   // "HeaderDigest=None\\0"
      00 00                               // pad
      """;

  /** SendTargets=All discovery text request, immediate and final. */
  static final String TEXT_SEND_TARGETS =
      """
      44 80 00 00  00 00 00 10            // I + 0x04, F, DSL 16
      00 00 00 00 00 00 00 00
      00 00 00 40  ff ff ff ff            // ITT, TTT
      00 00 00 05  00 00 00 06            // CmdSN, ExpStatSN
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      53 65 6e 64 54 61 72 67 65 74 73 3d 41 6c 6c 00   // "SendTargets=All\\0"
      """;

  /** Solicited Data-Out, final, 6 bytes + 2 pad, TTT 0x1000, DataSN 3, offset 0x2000. */
  static final String DATA_OUT =
      """
      05 80 00 00  00 00 00 06            // 0x05, F, DSL 6
      00 01 00 00 00 00 00 00             // LUN 1
      00 00 00 2b  00 00 10 00            // ITT, TTT
      00 00 00 00  00 00 02 01            // reserved, ExpStatSN
      00 00 00 00  00 00 00 03            // reserved, DataSN
      00 00 20 00  00 00 00 00            // buffer offset, reserved
      61 62 63 64 65 66 00 00             // "abcdef" + pad
      """;

  /** Logout closing connection 2, immediate. */
  static final String LOGOUT_CLOSE_CONNECTION =
      """
      46 81 00 00  00 00 00 00            // I + 0x06, reason 1
      00 00 00 00 00 00 00 00
      00 00 00 50  00 02 00 00            // ITT, CID 2
      00 00 01 03  00 00 02 02            // CmdSN, ExpStatSN
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      """;

  /** Status SNACK for StatSN 5 and 6. */
  static final String SNACK_STATUS =
      """
      10 81 00 00  00 00 00 00            // 0x10, type 1 (status)
      00 00 00 00 00 00 00 00
      ff ff ff ff  00 00 00 00            // ITT, SNACK tag
      00 00 00 00  00 00 02 03            // reserved, ExpStatSN
      00 00 00 00 00 00 00 00             // reserved
      00 00 00 05  00 00 00 02            // BegRun, RunLength
      """;

  /** A BHS with opcode 0x1c, which no PDU kind uses, carrying 4 bytes of data. */
  static final String UNKNOWN_OPCODE =
      """
      1c 80 00 00  00 00 00 04
      00 00 00 00 00 00 00 00
      00 00 00 77  00 00 00 00
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      00 00 00 00 00 00 00 00
      de ad be ef
      """;
}
