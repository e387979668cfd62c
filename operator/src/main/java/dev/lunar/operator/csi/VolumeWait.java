package dev.lunar.operator.csi;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.operator.plan.ObjectKeys;
import io.fabric8.kubernetes.api.model.Condition;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Waits, within the caller's gRPC deadline, for a volume the operator and an agent are bringing up
 * or taking down. Polling the API server a few times a second is cheap next to a provisioning, and
 * it keeps the controller free of informers of its own.
 */
final class VolumeWait {

  /** Reasons a volume will never become Ready by waiting: its pool cannot hold it. */
  private static final Set<String> HOPELESS = Set.of("PoolFull", "PoolNotFound", "PoolNotOnNode");

  private static final long POLL_MILLIS = 250;

  private final VolumeStore store;
  private final Duration longest;

  /**
   * @param longest the longest wait when the caller set no deadline (csi-sanity sets one, the
   *     sidecars always do)
   */
  VolumeWait(VolumeStore store, Duration longest) {
    this.store = store;
    this.longest = longest;
  }

  /**
   * The volume once it is Ready and its target has a portal. A volume its pool cannot hold is
   * deleted again and answered RESOURCE_EXHAUSTED, so the claim's events say why.
   */
  IscsiLun ready(String name) {
    Deadline deadline = deadline();
    String last = "not reported yet";
    while (true) {
      IscsiLun lun = store.lun(name);
      if (lun == null) {
        throw CsiErrors.aborted("volume " + name + " was deleted while it was being created");
      }
      Condition ready =
          PoolChoice.readyCondition(lun.getStatus() == null ? null : lun.getStatus().conditions());
      if (ready != null && "True".equals(ready.getStatus()) && served(store.target(name))) {
        return lun;
      }
      if (ready != null) {
        last = ready.getReason() + ": " + ready.getMessage();
        if (HOPELESS.contains(ready.getReason())) {
          store.delete(name);
          throw CsiErrors.exhausted("volume " + name + " does not fit: " + ready.getMessage());
        }
      }
      pause(deadline, "volume " + name + " is not Ready yet (" + last + ")");
    }
  }

  /** Returns once the volume's LUN and target are gone: the export withdrawn, the file freed. */
  void gone(String name) {
    Deadline deadline = deadline();
    while (store.lun(name) != null || store.target(name) != null) {
      pause(deadline, "volume " + name + " is still being withdrawn from its node");
    }
  }

  /**
   * Returns once the agent serving volume {@code name} applied an ACL that admits {@code
   * initiator}, or no longer does (an empty {@code initiator}: no name at all). CSI wants a
   * published volume usable by the node, and an unpublished one closed to it, when the call
   * returns; the target's spec alone changes nothing until the operator has passed it on and the
   * agent applied it. An agent that applies nothing (down, or cut off from the API server while it
   * still serves its last spec) makes the call run out of time, and the sidecar retries.
   */
  void admission(String name, String initiator, boolean admitted) {
    Deadline deadline = deadline();
    String source = ObjectKeys.of(store.namespace(), name);
    long needed = Long.MAX_VALUE;
    while (true) {
      IscsiTarget target = store.target(name);
      if (target == null) {
        if (admitted) {
          throw CsiErrors.notFound("volume " + name + " was deleted");
        }
        return;
      }
      IscsiNode node = store.node(target.getSpec().node());
      if (node == null && !admitted) {
        return; // no agent on that node: nothing serves the volume to anyone
      }
      if (node != null && node.getSpec() != null) {
        boolean listed =
            node.getSpec().targets() != null
                && node.getSpec().targets().stream()
                    .filter(t -> source.equals(t.source()) && t.initiatorNames() != null)
                    .anyMatch(
                        t ->
                            initiator.isEmpty()
                                ? !t.initiatorNames().isEmpty()
                                : t.initiatorNames().contains(initiator));
        if (listed == admitted) {
          // The first generation of the node's spec that has the change, then the agent's word.
          needed = Math.min(needed, node.getMetadata().getGeneration());
        }
        Long applied = node.getStatus() == null ? null : node.getStatus().observedGeneration();
        if (applied != null && applied >= needed) {
          return;
        }
      }
      pause(
          deadline,
          "the agent on node "
              + target.getSpec().node()
              + " has not applied the ACL of volume "
              + name
              + " yet");
    }
  }

  private Deadline deadline() {
    Deadline own = Deadline.after(longest.toMillis(), TimeUnit.MILLISECONDS);
    Deadline caller = Context.current().getDeadline();
    return caller == null ? own : caller.minimum(own);
  }

  /** Sleeps one poll, or fails with DEADLINE_EXCEEDED (the sidecar retries) when out of time. */
  private static void pause(Deadline deadline, String why) {
    if (deadline.timeRemaining(TimeUnit.MILLISECONDS) < 2 * POLL_MILLIS) {
      throw CsiErrors.deadline(why);
    }
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CsiErrors.aborted("interrupted: " + why);
    }
  }

  private static boolean served(IscsiTarget target) {
    return target != null
        && target.getStatus() != null
        && target.getStatus().portals() != null
        && !target.getStatus().portals().isEmpty();
  }
}
