package dev.lunar.agent.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * Operation code to handler, one array slot per opcode, plus what REPORT SUPPORTED OPERATION CODES
 * needs to describe each command: the service actions an opcode multiplexes.
 */
final class CommandTable {

  /** One supported command: opcode, service action (-1 when none), CDB length. */
  record Entry(int opcode, int serviceAction, int cdbLength) {}

  private final CommandHandler[] handlers = new CommandHandler[256];
  private final int[][] serviceActions = new int[256][];

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

  /** Records the service actions an already registered opcode answers. */
  CommandTable serviceActions(int opcode, int... actions) {
    serviceActions[opcode] = actions.clone();
    return this;
  }

  /** The handler for an opcode, or {@code null} when the unit does not know it. */
  CommandHandler lookup(int opcode) {
    return handlers[opcode & 0xff];
  }

  boolean supports(int opcode) {
    return handlers[opcode & 0xff] != null;
  }

  /** The service actions of an opcode, or {@code null} when it has none. */
  int[] serviceActionsOf(int opcode) {
    return serviceActions[opcode & 0xff];
  }

  /** Every supported command in opcode order. */
  List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    for (int op = 0; op < 256; op++) {
      if (handlers[op] == null) {
        continue;
      }
      if (serviceActions[op] == null) {
        entries.add(new Entry(op, -1, cdbLength(op)));
      } else {
        for (int sa : serviceActions[op]) {
          entries.add(new Entry(op, sa, cdbLength(op)));
        }
      }
    }
    return entries;
  }

  /** CDB length by opcode group (SPC-4 4.2.5.1): 6, 10, 10, reserved, 16, 12. */
  static int cdbLength(int opcode) {
    return switch (opcode >>> 5) {
      case 0 -> 6;
      case 1, 2 -> 10;
      case 4 -> 16;
      case 5 -> 12;
      default -> 16;
    };
  }
}
