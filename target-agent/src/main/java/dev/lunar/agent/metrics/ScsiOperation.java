package dev.lunar.agent.metrics;

import static dev.lunar.agent.scsi.Opcodes.COMPARE_AND_WRITE;
import static dev.lunar.agent.scsi.Opcodes.ORWRITE_16;
import static dev.lunar.agent.scsi.Opcodes.READ_10;
import static dev.lunar.agent.scsi.Opcodes.READ_12;
import static dev.lunar.agent.scsi.Opcodes.READ_16;
import static dev.lunar.agent.scsi.Opcodes.READ_6;
import static dev.lunar.agent.scsi.Opcodes.WRITE_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_6;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_12;
import static dev.lunar.agent.scsi.Opcodes.WRITE_AND_VERIFY_16;
import static dev.lunar.agent.scsi.Opcodes.WRITE_SAME_10;
import static dev.lunar.agent.scsi.Opcodes.WRITE_SAME_16;

/**
 * How a SCSI command counts for I/O metrics: a read or a write of medium data, or anything else.
 * Only commands that move user data count as reads or writes (SBC-3 section 5), so inquiries,
 * capacity reads, VERIFY and the like land in {@link #OTHER} and never inflate byte counters.
 */
public enum ScsiOperation {
  READ("read"),
  WRITE("write"),
  OTHER("other");

  private static final ScsiOperation[] BY_OPCODE = new ScsiOperation[256];

  static {
    java.util.Arrays.fill(BY_OPCODE, OTHER);
    for (int opcode : new int[] {READ_6, READ_10, READ_12, READ_16}) {
      BY_OPCODE[opcode] = READ;
    }
    // Each carries Data-Out that ends up on the medium.
    for (int opcode :
        new int[] {
          WRITE_6,
          WRITE_10,
          WRITE_12,
          WRITE_16,
          WRITE_AND_VERIFY_10,
          WRITE_AND_VERIFY_12,
          WRITE_AND_VERIFY_16,
          COMPARE_AND_WRITE,
          ORWRITE_16,
          WRITE_SAME_10,
          WRITE_SAME_16
        }) {
      BY_OPCODE[opcode] = WRITE;
    }
  }

  private final String tag;

  ScsiOperation(String tag) {
    this.tag = tag;
  }

  /** The value of the {@code op} tag. */
  public String tag() {
    return tag;
  }

  /** Classifies a CDB by its operation code (byte 0); an empty or missing CDB is {@link #OTHER}. */
  public static ScsiOperation of(byte[] cdb) {
    return cdb == null || cdb.length == 0 ? OTHER : BY_OPCODE[cdb[0] & 0xff];
  }
}
