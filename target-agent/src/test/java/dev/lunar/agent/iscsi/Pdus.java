package dev.lunar.agent.iscsi;

import dev.lunar.agent.iscsi.pdu.DataIn;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.NopOut;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.iscsi.pdu.ScsiResponse;
import dev.lunar.agent.iscsi.session.LunAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Initiator PDUs the session tests send, and what they read from the answers. */
final class Pdus {

  static final int NO_TAG = 0xffffffff;
  private static final int SIMPLE = 1;

  private Pdus() {}

  /** INQUIRY of LUN 1, 36 bytes: exempt from unit attentions, so always GOOD. */
  static ScsiCommand inquiry(int itt, int cmdSn, int expStatSn) {
    byte[] cdb = new byte[16];
    cdb[0] = 0x12;
    cdb[4] = 36;
    return new ScsiCommand(
        false,
        true,
        true,
        false,
        SIMPLE,
        LunAddress.encode(1),
        itt,
        36,
        cmdSn,
        expStatSn,
        cdb,
        0,
        Unpooled.EMPTY_BUFFER);
  }

  /** TEST UNIT READY of LUN 1: the first one after login reports the power-on unit attention. */
  static ScsiCommand testUnitReady(int itt, int cmdSn, int expStatSn) {
    return new ScsiCommand(
        false,
        true,
        false,
        false,
        SIMPLE,
        LunAddress.encode(1),
        itt,
        0,
        cmdSn,
        expStatSn,
        new byte[16],
        0,
        Unpooled.EMPTY_BUFFER);
  }

  /** WRITE (10) of {@code blocks} 512-byte blocks at {@code lba} of LUN 1, with immediate data. */
  static ScsiCommand write10(
      int itt, int cmdSn, int expStatSn, int lba, int blocks, ByteBuf immediate, boolean last) {
    return write10(itt, cmdSn, expStatSn, lba, blocks, blocks * 512, immediate, last);
  }

  /**
   * WRITE (10) as above whose Expected Data Transfer Length says {@code edtl} bytes, whatever the
   * CDB describes.
   */
  static ScsiCommand write10(
      int itt,
      int cmdSn,
      int expStatSn,
      int lba,
      int blocks,
      int edtl,
      ByteBuf immediate,
      boolean last) {
    return new ScsiCommand(
        false,
        last,
        false,
        true,
        SIMPLE,
        LunAddress.encode(1),
        itt,
        edtl,
        cmdSn,
        expStatSn,
        rw10(0x2a, lba, blocks),
        0,
        immediate);
  }

  /** READ (10) of {@code blocks} 512-byte blocks at {@code lba} of LUN 1. */
  static ScsiCommand read10(int itt, int cmdSn, int expStatSn, int lba, int blocks) {
    return new ScsiCommand(
        false,
        true,
        true,
        false,
        SIMPLE,
        LunAddress.encode(1),
        itt,
        blocks * 512,
        cmdSn,
        expStatSn,
        rw10(0x28, lba, blocks),
        0,
        Unpooled.EMPTY_BUFFER);
  }

  private static byte[] rw10(int opcode, int lba, int blocks) {
    byte[] cdb = new byte[16];
    cdb[0] = (byte) opcode;
    cdb[2] = (byte) (lba >>> 24);
    cdb[3] = (byte) (lba >>> 16);
    cdb[4] = (byte) (lba >>> 8);
    cdb[5] = (byte) lba;
    cdb[7] = (byte) (blocks >>> 8);
    cdb[8] = (byte) blocks;
    return cdb;
  }

  /** A ping that wants an answer. */
  static NopOut ping(int itt, int cmdSn, int expStatSn) {
    return new NopOut(true, 0, itt, NO_TAG, cmdSn, expStatSn, Unpooled.EMPTY_BUFFER);
  }

  /** The answer to the target's ping. */
  static NopOut pingAnswer(NopIn ping, int cmdSn, int expStatSn) {
    return new NopOut(
        true, ping.lun(), NO_TAG, ping.ttt(), cmdSn, expStatSn, Unpooled.EMPTY_BUFFER);
  }

  /** The SCSI status a response carries (SCSI Response, or Data-In with status), -1 if none. */
  static int statusOf(Pdu pdu) {
    try {
      return switch (pdu) {
        case ScsiResponse r -> r.status();
        case DataIn d when d.statusPresent() -> d.status();
        default -> throw new AssertionError("expected a status, got " + pdu);
      };
    } finally {
      pdu.data().release();
    }
  }
}
