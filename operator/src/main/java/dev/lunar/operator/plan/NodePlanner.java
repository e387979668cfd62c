package dev.lunar.operator.plan;

import dev.lunar.crds.api.v1alpha1.ChapAuth;
import dev.lunar.crds.api.v1alpha1.IscsiApi;
import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.CredentialKeys;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.SecretRef;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetSpec;
import dev.lunar.crds.api.v1alpha1.LunBacking;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes every node's desired target set from the IscsiTargets and IscsiLuns in the cluster. A
 * pure function of its inputs, so the operator's reconcilers stay thin and each rule here is a unit
 * test: target ids stay stable across runs (taken from the node's current spec), LUN numbers are
 * unique per target (the oldest claim wins), a device must be in the node's inventory and safe to
 * export ({@link DeviceCheck}), CHAP secrets move into one per-node Secret.
 */
public final class NodePlanner {

  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String KUBELET_PREFIX = "node.session.auth.";

  private NodePlanner() {}

  /** The name of the per-node credential Secret in the operator's namespace. */
  public static String credentialsSecretName(String node) {
    return "lunar-node-" + node;
  }

  public static Plan plan(
      List<IscsiTarget> targets,
      List<IscsiLun> luns,
      List<IscsiPool> pools,
      Map<String, IscsiNode> currentNodes,
      SecretLookup secrets,
      String systemNamespace) {
    Map<String, Verdict> verdicts = new HashMap<>();
    Map<String, List<IscsiLun>> lunsByTarget = lunsByTarget(targets, luns, verdicts);
    PoolCheck poolCheck =
        new PoolCheck(
            pools,
            currentNodes,
            luns.stream().filter(l -> l.getSpec().backing().pool() != null).toList(),
            exportedDevices(targets, luns, currentNodes));
    admitVolumes(poolCheck, targets, lunsByTarget, currentNodes, verdicts);
    Map<String, List<NodeTarget>> nodeTargets = new TreeMap<>();
    Map<String, Map<String, String>> nodeCredentials = new TreeMap<>();
    for (IscsiTarget target : sorted(targets)) {
      IscsiTargetSpec spec = target.getSpec();
      String node = spec.node();
      Map<String, String> credentials = nodeCredentials.computeIfAbsent(node, n -> new TreeMap<>());
      String key = ObjectKeys.of(target);
      CredentialKeys chap =
          chapKeys(
              target,
              spec.chap() == null ? null : spec.chap().secretName(),
              "chap",
              secrets,
              credentials,
              verdicts);
      CredentialKeys mutual =
          chapKeys(target, mutualName(spec.chap()), "mutual", secrets, credentials, verdicts);
      List<NodeLun> nodeLuns = new ArrayList<>();
      for (IscsiLun lun : lunsByTarget.getOrDefault(key, List.of())) {
        Verdict refused =
            verdicts.containsKey(lunKey(lun))
                ? verdicts.get(lunKey(lun))
                : DeviceCheck.refusal(lun, currentNodes.get(node), key);
        if (refused != null) {
          verdicts.put(lunKey(lun), refused);
          continue;
        }
        NodeLun entry = nodeLun(lun);
        nodeLuns.add(lun.getSpec().backing().pool() == null ? entry : poolCheck.volume(entry, lun));
        verdicts.put(lunKey(lun), Verdict.scheduled(node));
      }
      nodeTargets
          .computeIfAbsent(node, n -> new ArrayList<>())
          .add(
              new NodeTarget(
                  null,
                  Objects.requireNonNullElse(
                      spec.iqn(),
                      IscsiApi.defaultIqn(
                          target.getMetadata().getNamespace(), target.getMetadata().getName())),
                  key,
                  spec.port(),
                  nodeLuns,
                  spec.initiators() == null ? List.of() : orEmpty(spec.initiators().names()),
                  spec.initiators() == null ? List.of() : orEmpty(spec.initiators().addresses()),
                  chap,
                  mutual,
                  Negotiations.params(spec.negotiation())));
      verdicts.putIfAbsent(key, Verdict.scheduled(node));
    }
    Map<String, NodeDesired> nodes = new TreeMap<>();
    for (var entry : nodeTargets.entrySet()) {
      String node = entry.getKey();
      List<NodeTarget> withTids = TargetIds.assign(entry.getValue(), currentNodes.get(node));
      nodes.put(
          node,
          new NodeDesired(
              new IscsiNodeSpec(
                  new SecretRef(systemNamespace, credentialsSecretName(node)),
                  withTids,
                  poolCheck.poolsOn(node)),
              nodeCredentials.get(node)));
    }
    for (String node : currentNodes.keySet()) {
      nodes.putIfAbsent(
          node,
          new NodeDesired(
              new IscsiNodeSpec(
                  new SecretRef(systemNamespace, credentialsSecretName(node)),
                  List.of(),
                  poolCheck.poolsOn(node)),
              Map.of()));
    }
    return new Plan(nodes, verdicts, poolCheck.diskAssignments(), poolCheck.poolDisks());
  }

  /**
   * Per node, the device paths its plain device LUNs name, and those its current spec exports: a
   * disk someone exports by hand is never a pool's free disk, however blank it looks.
   */
  private static Map<String, Set<String>> exportedDevices(
      List<IscsiTarget> targets, List<IscsiLun> luns, Map<String, IscsiNode> currentNodes) {
    Map<String, String> nodeOf = new HashMap<>();
    targets.forEach(t -> nodeOf.put(ObjectKeys.of(t), t.getSpec().node()));
    Map<String, Set<String>> result = new HashMap<>();
    for (IscsiLun lun : luns) {
      String device = lun.getSpec().backing().device();
      String node =
          nodeOf.get(ObjectKeys.of(lun.getMetadata().getNamespace(), lun.getSpec().target()));
      if (device != null && node != null) {
        result.computeIfAbsent(node, n -> new HashSet<>()).add(device);
      }
    }
    // Also what the nodes export now: a device LUN being deleted leaves the spec only as its
    // finalizer runs, and deleting it never meant "wipe my disk".
    currentNodes.forEach(
        (node, current) -> {
          if (current.getSpec() != null && current.getSpec().targets() != null) {
            for (NodeTarget target : current.getSpec().targets()) {
              for (NodeLun lun : Objects.requireNonNullElse(target.luns(), List.<NodeLun>of())) {
                if (lun.device() != null && lun.pool() == null) {
                  result.computeIfAbsent(node, n -> new HashSet<>()).add(lun.device());
                }
              }
            }
          }
        });
    return result;
  }

  /**
   * The spec with each target's tid as {@code current} has it: a planner run against a slightly
   * older copy of the node must not move a tid the latest write gave out.
   */
  public static IscsiNodeSpec keepTids(IscsiNodeSpec spec, IscsiNode current) {
    if (spec.targets() == null) {
      return spec;
    }
    return new IscsiNodeSpec(
        spec.credentialsSecret(), TargetIds.assign(spec.targets(), current), spec.pools());
  }

  /**
   * Admits the pool volumes among {@code lunsByTarget} into their pools, oldest claim first across
   * all targets; a refused volume gets its verdict, which the per-target pass then keeps.
   */
  private static void admitVolumes(
      PoolCheck poolCheck,
      List<IscsiTarget> targets,
      Map<String, List<IscsiLun>> lunsByTarget,
      Map<String, IscsiNode> currentNodes,
      Map<String, Verdict> verdicts) {
    Map<String, String> nodeOf = new HashMap<>();
    targets.forEach(t -> nodeOf.put(ObjectKeys.of(t), t.getSpec().node()));
    List<IscsiLun> volumes = new ArrayList<>();
    lunsByTarget.values().forEach(l -> volumes.addAll(l));
    for (IscsiLun lun : sorted(volumes)) {
      if (lun.getSpec().backing().pool() == null) {
        continue;
      }
      String node =
          nodeOf.get(ObjectKeys.of(lun.getMetadata().getNamespace(), lun.getSpec().target()));
      Verdict refused = poolCheck.admit(lun, node, currentNodes.get(node));
      if (refused != null) {
        verdicts.put(lunKey(lun), refused);
      }
    }
  }

  /** LUNs grouped by their target; a missing target or a taken LUN number gets its verdict. */
  private static Map<String, List<IscsiLun>> lunsByTarget(
      List<IscsiTarget> targets, List<IscsiLun> luns, Map<String, Verdict> verdicts) {
    Map<String, IscsiTarget> byKey = new HashMap<>();
    targets.forEach(t -> byKey.put(ObjectKeys.of(t), t));
    Map<String, List<IscsiLun>> grouped = new HashMap<>();
    Map<String, String> claimed = new HashMap<>();
    for (IscsiLun lun : sorted(luns)) {
      String targetKey = ObjectKeys.of(lun.getMetadata().getNamespace(), lun.getSpec().target());
      if (!byKey.containsKey(targetKey)) {
        verdicts.put(
            lunKey(lun),
            new Verdict(Verdict.TARGET_NOT_FOUND, "IscsiTarget " + targetKey + " does not exist"));
        continue;
      }
      String slot = targetKey + "#" + lun.getSpec().lun();
      String owner = claimed.putIfAbsent(slot, lunKey(lun));
      if (owner != null) {
        verdicts.put(
            lunKey(lun),
            new Verdict(
                Verdict.DUPLICATE_LUN,
                "LUN "
                    + lun.getSpec().lun()
                    + " of "
                    + targetKey
                    + " is already used by "
                    + owner));
        continue;
      }
      grouped.computeIfAbsent(targetKey, k -> new ArrayList<>()).add(lun);
    }
    grouped.values().forEach(l -> l.sort(Comparator.comparing(x -> x.getSpec().lun())));
    return grouped;
  }

  private static NodeLun nodeLun(IscsiLun lun) {
    LunBacking backing = lun.getSpec().backing();
    LunBacking.FileBacking file = backing.file();
    return new NodeLun(
        lun.getSpec().lun(),
        lunKey(lun),
        backing.device(),
        file == null ? null : file.path(),
        file == null || file.size() == null ? null : PoolCheck.bytes(file.size()),
        file == null ? null : file.thin(),
        lun.getSpec().readOnly(),
        lun.getSpec().blockSize(),
        serialOf(lun),
        lun.getSpec().wwn(),
        lun.getSpec().force(),
        null,
        null);
  }

  /** The given serial, or one derived from the object's UID: stable for the object's lifetime. */
  static String serialOf(IscsiLun lun) {
    if (lun.getSpec().serial() != null) {
      return lun.getSpec().serial();
    }
    String uid = lun.getMetadata().getUid();
    return uid == null ? null : uid.replace("-", "");
  }

  /**
   * Copies a CHAP Secret's username and password into the node's credentials and returns the keys
   * that name them; a missing or malformed Secret marks the target SecretInvalid.
   */
  private static CredentialKeys chapKeys(
      IscsiTarget target,
      String secretName,
      String role,
      SecretLookup secrets,
      Map<String, String> credentials,
      Map<String, Verdict> verdicts) {
    if (secretName == null) {
      return null;
    }
    String namespace = target.getMetadata().getNamespace();
    String prefix = namespace + "." + target.getMetadata().getName() + "." + role + ".";
    CredentialKeys keys = new CredentialKeys(prefix + USERNAME, prefix + PASSWORD);
    Map<String, String> data = secrets.data(namespace, secretName);
    String problem = secretProblem(data, namespace + "/" + secretName);
    if (problem != null) {
      // The keys stay in the spec without values: the agent then refuses every login rather than
      // serving the target without authentication.
      verdicts.put(ObjectKeys.of(target), new Verdict(Verdict.SECRET_INVALID, problem));
      return keys;
    }
    credentials.put(keys.usernameKey(), value(data, USERNAME));
    credentials.put(keys.passwordKey(), value(data, PASSWORD));
    return keys;
  }

  static String secretProblem(Map<String, String> data, String name) {
    if (data == null) {
      return "Secret " + name + " does not exist";
    }
    String user = value(data, USERNAME);
    String password = value(data, PASSWORD);
    if (user == null || user.isBlank() || password == null) {
      return "Secret "
          + name
          + " needs the keys username and password (or node.session.auth.username and"
          + " node.session.auth.password)";
    }
    if (password.length() < 12 || password.length() > 255) {
      return "Secret " + name + ": the CHAP password must be 12 to 255 characters";
    }
    return null;
  }

  /**
   * A credential field in either layout: {@code username}, or the kubelet's in-tree iSCSI keys
   * ({@code node.session.auth.username}), so one Secret serves the target and its PersistentVolume.
   */
  private static String value(Map<String, String> data, String field) {
    String plain = data.get(field);
    return plain != null ? plain : data.get(KUBELET_PREFIX + field);
  }

  private static String mutualName(ChapAuth chap) {
    return chap == null ? null : chap.mutualSecretName();
  }

  private static String lunKey(IscsiLun lun) {
    return ObjectKeys.of(lun);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> sorted(
      List<T> objects) {
    List<T> copy = new ArrayList<>(objects);
    copy.sort(
        Comparator.comparing(
                (T o) -> Objects.requireNonNullElse(o.getMetadata().getCreationTimestamp(), ""))
            .thenComparing((T o) -> ObjectKeys.of(o)));
    return copy;
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
