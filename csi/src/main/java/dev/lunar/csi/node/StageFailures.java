package dev.lunar.csi.node;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The answers to a failed NodeStageVolume that a user has to act on, each saying what went wrong
 * and what to do. None quotes a stage secret: they carry names and iscsiadm's own messages only.
 */
final class StageFailures {

  private StageFailures() {}

  /** iscsiadm's login failed; its exit code tells who is to fix what. */
  static StatusRuntimeException login(IscsiTarget target, CommandFailedException e) {
    int exit = e.exitCode();
    if (exit == Iscsiadm.LOGIN_AUTH_FAILED) {
      return failedPrecondition(
          target
              + " rejected the CHAP credentials of the volume's stage secret: "
              + e.getMessage());
    }
    if (exit == Iscsiadm.FATAL_LOGIN) {
      return failedPrecondition(
          target
              + " refused the login; is the volume published to this node (its ACL admits the"
              + " initiator names of the nodes it is published to)? "
              + e.getMessage());
    }
    if (Iscsiadm.UNREACHABLE.contains(exit)) {
      return Status.UNAVAILABLE
          .withDescription("cannot reach " + target + ": " + e.getMessage())
          .asRuntimeException();
    }
    if (Iscsiadm.NO_INITIATOR.contains(exit)) {
      return failedPrecondition(
          "this node's iSCSI initiator is not ready (iscsid running? iscsi_tcp loaded?): "
              + e.getMessage());
    }
    return Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
  }

  /**
   * The login worked but the LUN never showed. INTERNAL rather than DEADLINE_EXCEEDED: the stage is
   * undone before this is answered, so kubelet need not treat the volume as possibly staged.
   */
  static StatusRuntimeException deviceMissing(
      IscsiTarget target, int lun, Path link, Duration waited) {
    return Status.INTERNAL
        .withDescription(
            "logged in to "
                + target
                + ", but LUN "
                + lun
                + " did not appear as "
                + link
                + " within "
                + (waited.toMillis() % 1000 == 0
                    ? waited.toSeconds() + " s"
                    : waited.toMillis() + " ms")
                + ": the target may not export that LUN (yet), or udev is not running on the"
                + " node. The session is logged out again unless another staged volume uses it")
        .asRuntimeException();
  }

  /**
   * A disk that device-mapper holds is refused, not used through its {@code /dev/mapper} map: a
   * Lunar volume has exactly one path, so multipath adds no redundancy, and a map left behind when
   * the session logs out queues I/O forever (queue_if_no_path) and hangs whatever touches it.
   * Refusing with the fix in the message is safer than half-managing multipathd's maps.
   */
  static StatusRuntimeException claimed(
      Path device, List<String> holders, IscsiTarget target, int lun) {
    return failedPrecondition(
        "LUN "
            + lun
            + " of "
            + target
            + " is "
            + device
            + ", but "
            + String.join(", ", holders)
            + " holds it (multipathd, most likely). Lunar serves each volume over one path, so"
            + " multipath adds nothing there: exclude Lunar's LUNs in /etc/multipath.conf"
            + " (blacklist { device { vendor \"LUNAR\" product \".*\" } }), reload multipathd and"
            + " flush the map (multipath -f), then retry");
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }
}
