package dev.lunar.agent.metrics;

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
    // READ (6), READ (10), READ (12), READ (16)
    for (int opcode : new int[] {0x08, 0x28, 0xa8, 0x88}) {
      BY_OPCODE[opcode] = READ;
    }
    // WRITE (6/10/12/16), WRITE AND VERIFY (10/12/16), COMPARE AND WRITE, ORWRITE (16),
    // WRITE SAME (10/16): each carries Data-Out that ends up on the medium.
    for (int opcode :
        new int[] {0x0a, 0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e, 0x89, 0x8b, 0x41, 0x93}) {
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
