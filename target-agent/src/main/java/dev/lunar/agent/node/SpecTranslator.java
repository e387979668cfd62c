package dev.lunar.agent.node;

import dev.lunar.agent.model.AccountSpec;
import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.node.inventory.BlockDevice;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the operator's IscsiNode spec into the agent's own model, the same one tgtadm and the YAML
 * file produce. Pure: credentials and the disk verdicts come in as arguments, so every rule here is
 * a unit test.
 */
public final class SpecTranslator {

  private SpecTranslator() {}

  /**
   * @param spec the IscsiNode spec
   * @param credentials the per-node credential Secret's data, decoded, by key
   * @param diskFor the safety verdict of the disk a device path names, or null when the path is no
   *     disk the inventory knows
   */
  public static DesiredSet translate(
      IscsiNodeSpec spec, Map<String, String> credentials, Function<String, BlockDevice> diskFor) {
    return translate(spec, credentials, diskFor, TargetSetSpec.empty());
  }

  /**
   * As {@link #translate(IscsiNodeSpec, Map, Function)}, keeping what {@code served} already
   * exports: a device LUN served from the same path under the same tid and LUN is not judged again,
   * since the initiator's own use (a filesystem it made, a partition table) makes a served disk
   * look in use, and refusing it then would withdraw a disk from the very initiator using it.
   */
  public static DesiredSet translate(
      IscsiNodeSpec spec,
      Map<String, String> credentials,
      Function<String, BlockDevice> diskFor,
      TargetSetSpec served) {
    return translate(spec, credentials, diskFor, served, Map.of());
  }

  /**
   * As {@link #translate(IscsiNodeSpec, Map, Function, TargetSetSpec)}, refusing the pool volumes
   * whose files or logical volumes could not be made, whose disks are not zeroed for them yet, or
   * whose device names no volume group or disk pool of the spec. A pool volume is otherwise an
   * ordinary file or device LUN to the engine. A pool device skips the host-disk safety check: a
   * logical volume is the agent's own, and a disk of a disk pool was given out as safe and, served,
   * soon holds the tenant's filesystem; {@link DiskVolumes} judges it instead.
   *
   * @param volumes why a pool volume cannot be served, by its file or device as the spec names it
   */
  public static DesiredSet translate(
      IscsiNodeSpec spec,
      Map<String, String> credentials,
      Function<String, BlockDevice> diskFor,
      TargetSetSpec served,
      Map<String, Refusal> volumes) {
    List<TargetSpec> targets = new ArrayList<>();
    Map<String, AccountSpec> accounts = new LinkedHashMap<>();
    Map<String, Refusal> refused = new HashMap<>();
    Set<String> devicePools = devicePools(spec);
    for (NodeTarget target : Objects.requireNonNullElse(spec.targets(), List.<NodeTarget>of())) {
      List<LunSpec> luns = new ArrayList<>();
      for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
        Refusal refusal =
            isVolume(lun)
                ? volumeRefusal(lun, volumes, devicePools)
                : serves(served, target.tid(), lun) ? null : refusal(lun, diskFor);
        if (refusal != null) {
          refused.put(DesiredSet.key(target.tid(), lun.lun()), refusal);
        } else {
          luns.add(lunSpec(target.tid(), lun));
        }
      }
      String incoming = account(target.chap(), credentials, accounts);
      String outgoing = account(target.mutualChap(), credentials, accounts);
      targets.add(
          new TargetSpec(
              target.tid(),
              target.iqn(),
              luns,
              Objects.requireNonNullElse(target.initiatorAddresses(), List.of()),
              Objects.requireNonNullElse(target.initiatorNames(), List.of()),
              incoming == null ? List.of() : List.of(incoming),
              outgoing,
              Objects.requireNonNullElse(target.params(), Map.of())));
    }
    targets.sort((a, b) -> Integer.compare(a.tid(), b.tid()));
    return new DesiredSet(new TargetSetSpec(targets, List.copyOf(accounts.values())), refused);
  }

  private static boolean serves(TargetSetSpec served, int tid, NodeLun lun) {
    return lun.device() != null
        && served.targets().stream()
            .filter(t -> t.tid() == tid)
            .flatMap(t -> t.luns().stream())
            .anyMatch(l -> l.lun() == lun.lun() && lun.device().equals(l.backingStore()));
  }

  /**
   * A pool volume: a file, or a logical volume (a device the agent made itself, so the host-disk
   * checks, which would see the volume group's disk, do not apply).
   */
  private static boolean isVolume(NodeLun lun) {
    return lun.pool() != null && (lun.file() != null || lun.device() != null);
  }

  private static Refusal volumeRefusal(
      NodeLun lun, Map<String, Refusal> volumes, Set<String> devicePools) {
    if (lun.file() != null) {
      return volumes.get(lun.file());
    }
    if (!devicePools.contains(lun.pool())) {
      return new Refusal(
          Refusal.POOL_VOLUME_FAILED,
          lun.device()
              + " names pool "
              + lun.pool()
              + ", no volume group or disk pool of the node");
    }
    return volumes.get(lun.device());
  }

  /** The spec's pools whose volumes are devices: volume groups and disk pools. */
  private static Set<String> devicePools(IscsiNodeSpec spec) {
    Set<String> names = new HashSet<>();
    for (NodePool pool : Objects.requireNonNullElse(spec.pools(), List.<NodePool>of())) {
      if (pool.volumeGroup() != null || Boolean.TRUE.equals(pool.disks())) {
        names.add(pool.name());
      }
    }
    return names;
  }

  /** Why a LUN may not be exported, or null. Files are always allowed; devices must be safe. */
  static Refusal refusal(NodeLun lun, Function<String, BlockDevice> diskFor) {
    if (lun.device() == null || Boolean.TRUE.equals(lun.force())) {
      return null;
    }
    BlockDevice disk = diskFor.apply(lun.device());
    if (disk == null) {
      return new Refusal(
          Refusal.DEVICE_NOT_FOUND, lun.device() + " is not a block device of this node");
    }
    return disk.safe()
        ? null
        : new Refusal(Refusal.DEVICE_IN_USE, lun.device() + " " + disk.reason());
  }

  /**
   * Built from tgt's defaults, as the state dir's YAML is, so the spec restored after a restart
   * equals the one translated again from the IscsiNode and the open LUN is kept, not reopened. A
   * pool volume is thin unless it says otherwise (a plain file LUN is thick unless it says thin):
   * UNMAP may punch holes only in a volume whose space was never promised to stay allocated. A
   * logical volume or disk is served thick: the store answers UNMAP on a device by writing zeros,
   * which in a thin logical volume would allocate the very chunks the initiator gave back.
   */
  private static LunSpec lunSpec(int tid, NodeLun lun) {
    boolean file = lun.device() == null;
    LunSpec spec =
        LunSpec.tgtDefault(tid, lun.lun(), file ? lun.file() : lun.device())
            .withSizeBytes(file ? Objects.requireNonNullElse(lun.sizeBytes(), 0L) : 0L)
            .withBlockSize(Objects.requireNonNullElse(lun.blockSize(), 512))
            .withReadOnly(Boolean.TRUE.equals(lun.readOnly()))
            .withThin(
                isVolume(lun)
                    ? file && !Boolean.FALSE.equals(lun.thin())
                    : Boolean.TRUE.equals(lun.thin()));
    return lun.serial() == null ? spec : spec.withScsiSerial(lun.serial());
  }

  /** Adds the account two Secret keys name and returns its user, or null when there is none. */
  private static String account(
      CredentialKeys keys, Map<String, String> credentials, Map<String, AccountSpec> accounts) {
    if (keys == null) {
      return null;
    }
    String user = credentials.get(keys.usernameKey());
    String password = credentials.get(keys.passwordKey());
    if (user == null || password == null) {
      // A missing credential must not open the target: bind an account nobody knows the secret
      // of, so CHAP stays required and every login fails until the Secret is fixed.
      String locked = "lunar-missing-credential-" + keys.usernameKey();
      accounts.putIfAbsent(locked, new AccountSpec(locked, java.util.UUID.randomUUID().toString()));
      return locked;
    }
    accounts.putIfAbsent(user, new AccountSpec(user, password));
    return user;
  }
}
