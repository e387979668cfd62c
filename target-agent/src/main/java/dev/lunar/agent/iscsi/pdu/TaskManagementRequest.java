package dev.lunar.agent.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Task Management Function Request, initiator to target (RFC 7143 section 11.5).
 *
 * <pre>
 * byte 0 . I 0x02   byte 1 1 function(7)
 * 8-15  LUN         16-19 ITT           20-23 Referenced Task Tag
 * 24-27 CmdSN       28-31 ExpStatSN     32-35 RefCmdSN      36-39 ExpDataSN   40-47 reserved
 * </pre>
 *
 * An unknown function code decodes with {@code function == UNKNOWN}; {@code functionCode} always
 * holds the raw code.
 */
public record TaskManagementRequest(
    boolean immediate,
    TaskManagementFunction function,
    long lun,
    int itt,
    int referencedTaskTag,
    int cmdSn,
    int expStatSn,
    int refCmdSn,
    int expDataSn,
    int functionCode)
    implements Pdu {

  public TaskManagementRequest {
    if (function != TaskManagementFunction.valueOf(functionCode)) {
      throw new IllegalArgumentException(
          "function " + function + " does not match code " + functionCode);
    }
  }

  /** A request for a known function. */
  public TaskManagementRequest(
      boolean immediate,
      TaskManagementFunction function,
      long lun,
      int itt,
      int referencedTaskTag,
      int cmdSn,
      int expStatSn,
      int refCmdSn,
      int expDataSn) {
    this(
        immediate,
        function,
        lun,
        itt,
        referencedTaskTag,
        cmdSn,
        expStatSn,
        refCmdSn,
        expDataSn,
        Objects.requireNonNull(function, "function").value());
  }

  @Override
  public Opcode opcode() {
    return Opcode.TASK_MANAGEMENT_REQUEST;
  }

  @Override
  public void writeBhs(ByteBuf out) {
    Bhs.writeStart(out, opcode(), immediate, Bhs.FINAL | (functionCode & 0x7f), 0, 0, 0, data());
    out.writeLong(lun);
    out.writeInt(itt);
    out.writeInt(referencedTaskTag);
    out.writeInt(cmdSn);
    out.writeInt(expStatSn);
    out.writeInt(refCmdSn);
    out.writeInt(expDataSn);
    out.writeZero(8);
  }

  static TaskManagementRequest decode(ByteBuf bhs, ByteBuf ahs, ByteBuf data) {
    int code = bhs.getByte(1) & 0x7f;
    return new TaskManagementRequest(
        Bhs.immediate(bhs),
        TaskManagementFunction.valueOf(code),
        bhs.getLong(8),
        bhs.getInt(16),
        bhs.getInt(20),
        bhs.getInt(24),
        bhs.getInt(28),
        bhs.getInt(32),
        bhs.getInt(36),
        code);
  }
}
