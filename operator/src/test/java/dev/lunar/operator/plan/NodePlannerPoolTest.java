package dev.lunar.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner's pools: admission by room, oldest first, and the volume files it asks for. */
class NodePlannerPoolTest {

  private static final String GI = "1073741824";

  private static IscsiTarget target(String name, String node) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: %s, namespace: apps, creationTimestamp: "2026-11-01T00:00:00Z"}
        spec: {node: %s}
        """
            .formatted(name, node),
        IscsiTarget.class);
  }

  private static IscsiLun volume(String name, String pool, String size, String created) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: %s, namespace: apps, uid: uid-%s, creationTimestamp: "%s"}
        spec: {target: %s, lun: 1, backing: {pool: {name: %s, size: %s}}}
        """
            .formatted(name, name, created, name, pool, size),
        IscsiLun.class);
  }

  private static IscsiPool pool(String status) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: fast}
        spec: {node: worker-1, directory: {path: /var/lib/lunar/pools/fast, capacity: 3Gi}}
        """
            + status,
        IscsiPool.class);
  }

  private static final IscsiPool MEASURED = pool("status: {capacityBytes: 3221225472}");

  private static Plan plan(List<IscsiTarget> targets, List<IscsiLun> luns, List<IscsiPool> pools) {
    return plan(targets, luns, pools, Map.of());
  }

  private static Plan plan(
      List<IscsiTarget> targets,
      List<IscsiLun> luns,
      List<IscsiPool> pools,
      Map<String, IscsiNode> nodes) {
    return NodePlanner.plan(targets, luns, pools, nodes, (ns, n) -> null, "lunar-system");
  }

  private static List<NodeLun> lunsOf(Plan plan) {
    return plan.nodes().get("worker-1").spec().targets().stream()
        .flatMap(t -> t.luns().stream())
        .toList();
  }

  @Test
  void aVolumeBecomesAFileOfItsOwnNamedAfterTheLunsUid() {
    Plan plan =
        plan(
            List.of(target("a", "worker-1")),
            List.of(volume("a", "fast", "1Gi", "2026-11-01T00:00:01Z")),
            List.of(MEASURED));

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    NodeLun lun = lunsOf(plan).getFirst();
    assertThat(lun.file()).isEqualTo("/var/lib/lunar/pools/fast/uid-a.lunar-volume");
    assertThat(lun.sizeBytes()).isEqualTo(1L << 30);
    assertThat(lun.thin()).isTrue();
    assertThat(lun.pool()).isEqualTo("fast");
    assertThat(plan.nodes().get("worker-1").spec().pools())
        .containsExactly(NodePool.directory("fast", "/var/lib/lunar/pools/fast", 3L << 30));
  }

  private static IscsiPool volumeGroupPool(String name, String group, String status) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: %s}
        spec: {node: worker-1, volumeGroup: %s}
        """
                .formatted(name, group)
            + status,
        IscsiPool.class);
  }

  @Test
  void aVolumeGroupVolumeBecomesALogicalVolumeOfItsOwnServedAsADevice() {
    IscsiPool thin =
        volumeGroupPool(
            "lvm", "{name: vg0, thinPool: pool0}", "status: {capacityBytes: 3221225472}");
    IscsiLun thick =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiLun
            metadata: {name: b, namespace: apps, uid: uid-b, creationTimestamp: "2026-11-01T00:00:02Z"}
            spec: {target: b, lun: 1, backing: {pool: {name: lvm, size: 1Gi, thin: false}}}
            """,
            IscsiLun.class);

    Plan plan =
        plan(
            List.of(target("a", "worker-1"), target("b", "worker-1")),
            List.of(volume("a", "lvm", "1Gi", "2026-11-01T00:00:01Z"), thick),
            List.of(thin));

    assertThat(lunsOf(plan))
        .extracting(
            NodeLun::device, NodeLun::file, NodeLun::sizeBytes, NodeLun::thin, NodeLun::pool)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "/dev/vg0/lunar-uid-a", null, 1L << 30, true, "lvm"),
            org.assertj.core.groups.Tuple.tuple(
                "/dev/vg0/lunar-uid-b", null, 1L << 30, false, "lvm"));
    assertThat(plan.nodes().get("worker-1").spec().pools())
        .containsExactly(NodePool.volumeGroup("lvm", "vg0", "pool0"));
  }

  @Test
  void aVolumeGroupPoolAdmitsOldestFirstAgainstTheFullSizeAsADirectoryDoes() {
    IscsiPool linear = volumeGroupPool("lvm", "{name: vg0}", "status: {capacityBytes: " + GI + "}");

    Plan plan =
        plan(
            List.of(target("a", "worker-1"), target("b", "worker-1")),
            List.of(
                volume("b", "lvm", "512Mi", "2026-11-01T00:00:02Z"),
                volume("a", "lvm", "768Mi", "2026-11-01T00:00:01Z")),
            List.of(linear));

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    assertThat(plan.verdicts().get("apps/b").reason()).isEqualTo(Verdict.POOL_FULL);
    assertThat(plan.verdicts().get("apps/b").message())
        .isEqualTo(
            "IscsiPool lvm has 268435456 bytes free of 1073741824; the volume needs 536870912");
    assertThat(plan.nodes().get("worker-1").spec().pools())
        .containsExactly(NodePool.volumeGroup("lvm", "vg0", null));
  }

  @Test
  void anUnmeasuredVolumeGroupPoolIsNotReadyForVolumes() {
    Plan plan =
        plan(
            List.of(target("a", "worker-1")),
            List.of(volume("a", "lvm", "1Gi", "2026-11-01T00:00:01Z")),
            List.of(volumeGroupPool("lvm", "{name: vg0}", "")));

    assertThat(plan.verdicts().get("apps/a").reason()).isEqualTo(Verdict.POOL_NOT_READY);
    assertThat(lunsOf(plan)).isEmpty();
  }

  @Test
  void thePoolIsListedOnItsNodeEvenWithoutVolumes() {
    IscsiNode node =
        Serialization.unmarshal(
            "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n",
            IscsiNode.class);

    Plan plan = plan(List.of(), List.of(), List.of(MEASURED), Map.of("worker-1", node));

    assertThat(plan.nodes().get("worker-1").spec().pools())
        .extracting(NodePool::name)
        .containsExactly("fast");
  }

  @Test
  void theOldestClaimsFitAndTheOneThatOverflowsIsRefusedWithTheFigures() {
    Plan plan =
        plan(
            List.of(target("a", "worker-1"), target("b", "worker-1"), target("c", "worker-1")),
            List.of(
                volume("c", "fast", "1Gi", "2026-11-01T00:00:03Z"),
                volume("a", "fast", "2Gi", "2026-11-01T00:00:01Z"),
                volume("b", "fast", "1536Mi", "2026-11-01T00:00:02Z")),
            List.of(MEASURED));

    assertThat(plan.verdicts().get("apps/a").scheduled()).isTrue();
    assertThat(plan.verdicts().get("apps/b").reason()).isEqualTo(Verdict.POOL_FULL);
    assertThat(plan.verdicts().get("apps/b").message())
        .isEqualTo(
            "IscsiPool fast has 1073741824 bytes free of 3221225472; the volume needs 1610612736");
    assertThat(plan.verdicts().get("apps/c").scheduled()).isTrue();
    assertThat(lunsOf(plan)).extracting(NodeLun::source).containsExactly("apps/a", "apps/c");
  }

  @Test
  void aVolumeAlreadyServedStaysWhenThePoolShrinks() {
    IscsiLun served = volume("a", "fast", "2Gi", "2026-11-01T00:00:01Z");
    Plan first = plan(List.of(target("a", "worker-1")), List.of(served), List.of(MEASURED));
    IscsiNode node = new IscsiNode();
    node.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("worker-1").build());
    node.setSpec(first.nodes().get("worker-1").spec());
    IscsiPool shrunk = pool("status: {capacityBytes: " + GI + "}");

    Plan again =
        plan(
            List.of(target("a", "worker-1")),
            List.of(served),
            List.of(shrunk),
            Map.of("worker-1", node));

    assertThat(again.verdicts().get("apps/a").scheduled()).isTrue();
    assertThat(lunsOf(again)).hasSize(1);
  }

  @Test
  void aMissingPoolAPoolElsewhereAndAnUnmeasuredPoolEachSayWhy() {
    IscsiPool unmeasured = pool("");

    Plan missing =
        plan(
            List.of(target("a", "worker-1")),
            List.of(volume("a", "slow", "1Gi", "2026-11-01T00:00:01Z")),
            List.of(MEASURED));
    Plan elsewhere =
        plan(
            List.of(target("a", "worker-2")),
            List.of(volume("a", "fast", "1Gi", "2026-11-01T00:00:01Z")),
            List.of(MEASURED));
    Plan notYet =
        plan(
            List.of(target("a", "worker-1")),
            List.of(volume("a", "fast", "1Gi", "2026-11-01T00:00:01Z")),
            List.of(unmeasured));

    assertThat(missing.verdicts().get("apps/a"))
        .isEqualTo(new Verdict(Verdict.POOL_NOT_FOUND, "IscsiPool slow does not exist"));
    assertThat(elsewhere.verdicts().get("apps/a"))
        .isEqualTo(
            new Verdict(
                Verdict.POOL_NOT_ON_NODE,
                "IscsiPool fast is on node worker-1, the target on node worker-2"));
    assertThat(notYet.verdicts().get("apps/a").reason()).isEqualTo(Verdict.POOL_NOT_READY);
    assertThat(notYet.nodes().get("worker-1").spec().targets().getFirst().luns()).isEmpty();
  }
}
