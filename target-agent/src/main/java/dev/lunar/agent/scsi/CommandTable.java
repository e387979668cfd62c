package dev.lunar.agent.scsi;

/** Operation code to handler, one array slot per opcode. */
final class CommandTable {

  private final CommandHandler[] handlers = new CommandHandler[256];

  CommandTable add(CommandHandler handler, int... opcodes) {
    for (int opcode : opcodes) {
      if (handlers[opcode] != null) {
        throw new IllegalStateException(
            "opcode " + Integer.toHexString(opcode) + " registered twice");
      }
      handlers[opcode] = handler;
    }
    return this;
  }

  /** The handler for an opcode, or {@code null} when the unit does not know it. */
  CommandHandler lookup(int opcode) {
    return handlers[opcode & 0xff];
  }

  boolean supports(int opcode) {
    return handlers[opcode & 0xff] != null;
  }
}
