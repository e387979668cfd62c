package dev.lunar.agent.control;

import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.target.TargetState;
import dev.lunar.agent.target.TargetState.ConnectionState;
import dev.lunar.agent.target.TargetState.LunState;
import dev.lunar.agent.target.TargetState.SessionState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Renders tgtadm {@code show} output exactly as tgtd 1.0.85 does, whitespace included: tools and
 * people parse it. The configured side comes from the spec, the live side (sessions, sizes) from
 * the engine. Passwords are never rendered.
 */
public final class ShowFormatter {

  private ShowFormatter() {}

  /** {@code --mode target --op show}: every target, ordered by tid. */
  public static String targets(TargetSetSpec spec, List<TargetState> live) {
    StringBuilder out = new StringBuilder();
    for (TargetSpec target : spec.targets()) {
      TargetState state =
          live.stream().filter(s -> s.tid() == target.tid()).findFirst().orElse(null);
      appendTarget(out, target, state);
    }
    return out.toString();
  }

  private static void appendTarget(StringBuilder out, TargetSpec target, TargetState state) {
    out.append("Target ").append(target.tid()).append(": ").append(target.iqn()).append('\n');
    out.append("    System information:\n");
    out.append("        Driver: iscsi\n");
    out.append("        State: ready\n");
    // tgtd adds its NOP-Out keepalive settings once an interval is set.
    String nopInterval = target.params().getOrDefault("nop_interval", "0");
    if (!nopInterval.equals("0")) {
      out.append("        Nop interval: ").append(nopInterval).append('\n');
      out.append("        Nop count: ")
          .append(target.params().getOrDefault("nop_count", "0"))
          .append('\n');
    }
    out.append("    I_T nexus information:\n");
    List<SessionState> sessions = state == null ? List.of() : state.sessions();
    for (SessionState session :
        sessions.stream().sorted(Comparator.comparingLong(SessionState::sessionId)).toList()) {
      out.append("        I_T nexus: ").append(session.sessionId()).append('\n');
      out.append("            Initiator: ")
          .append(session.initiatorName())
          .append(" alias: ")
          .append(session.initiatorAlias() == null ? "none" : session.initiatorAlias())
          .append('\n');
      for (ConnectionState connection : session.connections()) {
        out.append("            Connection: ").append(connection.connectionId()).append('\n');
        out.append("                IP Address: ").append(connection.remoteAddress()).append('\n');
      }
    }
    out.append("    LUN information:\n");
    appendController(out, target.tid());
    for (LunSpec lun :
        target.luns().stream().sorted(Comparator.comparingInt(LunSpec::lun)).toList()) {
      appendDisk(out, lun, liveSize(state, lun));
    }
    out.append("    Account information:\n");
    for (String user : target.incomingUsers()) {
      out.append("        ").append(user).append('\n');
    }
    if (target.outgoingUser() != null) {
      out.append("        ").append(target.outgoingUser()).append(" (outgoing)\n");
    }
    out.append("    ACL information:\n");
    for (String address : target.initiatorAddresses()) {
      out.append("        ").append(address).append('\n');
    }
    for (String name : target.initiatorNames()) {
      out.append("        ").append(name).append('\n');
    }
  }

  private static long liveSize(TargetState state, LunSpec lun) {
    if (state != null) {
      for (LunState live : state.luns()) {
        if (live.lun() == lun.lun()) {
          return live.sizeBytes();
        }
      }
    }
    // Not live (yet): tgt shows what it knows, which for a store without its own size is 0.
    return lun.sizeBytes();
  }

  private static void appendController(StringBuilder out, int tid) {
    appendLun(
        out,
        0,
        "controller",
        LunSpec.defaultScsiId(tid, 0),
        LunSpec.defaultScsiSerial(tid, 0),
        "0 MB, Block size: 1",
        new LunFlags(true, false, false, false),
        "null",
        null);
  }

  private static void appendDisk(StringBuilder out, LunSpec lun, long sizeBytes) {
    appendLun(
        out,
        lun.lun(),
        "disk",
        lun.scsiId(),
        lun.scsiSerial(),
        megabytes(sizeBytes) + " MB, Block size: " + lun.blockSize(),
        new LunFlags(lun.online(), lun.removable(), lun.readOnly(), lun.thin()),
        lun.bsType(),
        lun.backingStore());
  }

  private record LunFlags(boolean online, boolean removable, boolean readOnly, boolean thin) {}

  private static void appendLun(
      StringBuilder out,
      int lun,
      String type,
      String scsiId,
      String scsiSerial,
      String size,
      LunFlags flags,
      String bsType,
      String path) {
    out.append("        LUN: ").append(lun).append('\n');
    line(out, "Type", type);
    line(out, "SCSI ID", scsiId);
    line(out, "SCSI SN", scsiSerial);
    line(out, "Size", size);
    line(out, "Online", yesNo(flags.online()));
    line(out, "Removable media", yesNo(flags.removable()));
    line(out, "Prevent removal", "No");
    line(out, "Readonly", yesNo(flags.readOnly()));
    line(out, "SWP", "No");
    line(out, "Thin-provisioning", yesNo(flags.thin()));
    line(out, "Backing store type", bsType);
    line(out, "Backing store path", path == null ? "None" : path);
    // tgt prints the flags after a space even when there are none.
    line(out, "Backing store flags", "");
  }

  private static void line(StringBuilder out, String key, String value) {
    out.append("            ").append(key).append(": ").append(value).append('\n');
  }

  private static String yesNo(boolean value) {
    return value ? "Yes" : "No";
  }

  /**
   * tgt's size column, in its own integer arithmetic: 512-byte sectors less one in 625 plus 974,
   * over 1950; about bytes / 10^6 rounded to nearest (100 MiB shows as 105 MB). Unsigned, and the
   * subtraction wraps for small sizes exactly as tgt's uint64_t does.
   */
  static long megabytes(long bytes) {
    long sectors = Long.divideUnsigned(bytes, 512);
    long adjust = Long.divideUnsigned(sectors, 625) - 974;
    return Long.divideUnsigned(sectors - adjust, 1950);
  }

  /** {@code --mode target --op show --tid N}: the target's iSCSI parameters, tgt's order. */
  public static String targetParams(TargetSpec target) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> param : TargetParams.DEFAULTS.entrySet()) {
      String value = target.params().getOrDefault(param.getKey(), param.getValue());
      out.append(param.getKey()).append('=').append(value).append('\n');
    }
    return out.toString();
  }

  /** {@code --mode account --op show}: user names only, newest first as tgt lists them. */
  public static String accounts(TargetSetSpec spec) {
    StringBuilder out = new StringBuilder("Account list:\n");
    List<AccountSpec> accounts = spec.accounts();
    for (int i = accounts.size() - 1; i >= 0; i--) {
      out.append("    ").append(accounts.get(i).user()).append('\n');
    }
    return out.toString();
  }

  /** {@code --mode conn --op show --tid N}: newest session first, as tgt lists them. */
  public static String connections(TargetState state) {
    StringBuilder out = new StringBuilder();
    List<SessionState> sessions =
        state.sessions().stream()
            .sorted(Comparator.comparingLong(SessionState::sessionId).reversed())
            .toList();
    for (SessionState session : sessions) {
      out.append("Session: ").append(session.sessionId()).append('\n');
      for (ConnectionState connection : session.connections()) {
        out.append("    Connection: ").append(connection.connectionId()).append('\n');
        out.append("        Initiator: ").append(session.initiatorName()).append('\n');
        out.append("        IP Address: ").append(connection.remoteAddress()).append('\n');
      }
    }
    return out.toString();
  }

  /** {@code --mode system --op show}: tgt's layout, listing what this daemon supports. */
  public static String system() {
    return """
        System:
            State: ready
            debug: off
        LLDs:
            iscsi: ready
        Backing stores:
            null
            rdwr (bsoflags sync:direct)
        Device types:
            disk
            controller
        iSNS:
            iSNS=Off
            iSNSServerIP=
            iSNSServerPort=3205
            iSNSAccessControl=Off
        """;
  }
}
