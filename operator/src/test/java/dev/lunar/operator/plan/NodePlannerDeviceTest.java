package dev.lunar.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner's device check against the node's reported inventory. */
class NodePlannerDeviceTest {

  /** sdb: safe, with a by-id link; sdc: mounted. */
  private static final String INVENTORY =
      """
      status:
        disks:
          - {name: sdb, byIdPaths: [/dev/disk/by-id/wwn-0x5000c500a1b2c3d4], safe: true}
          - {name: sdc, safe: false, unsafeReason: is mounted at /var/lib/data}
      """;

  private static IscsiTarget target() {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: db, namespace: apps, creationTimestamp: "2026-11-01T00:00:00Z"}
        spec: {node: worker-1}
        """,
        IscsiTarget.class);
  }

  private static IscsiLun lun(String backing) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: data, namespace: apps, creationTimestamp: "2026-11-01T00:00:05Z"}
        spec: {target: db, lun: 1, %s}
        """
            .formatted(backing),
        IscsiLun.class);
  }

  private static IscsiNode node(String yaml) {
    return Serialization.unmarshal(
        "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n"
            + yaml,
        IscsiNode.class);
  }

  private static Plan plan(IscsiLun lun, IscsiNode node) {
    return NodePlanner.plan(
        List.of(target()),
        List.of(lun),
        List.of(),
        node == null ? Map.of() : Map.of("worker-1", node),
        (ns, name) -> null,
        "lunar-system");
  }

  private static List<NodeLun> written(Plan plan) {
    return plan.nodes().get("worker-1").spec().targets().getFirst().luns();
  }

  @Test
  void aDeviceTheInventoryDoesNotListIsDeviceNotFoundAndStaysOutOfTheSpec() {
    Plan plan = plan(lun("backing: {device: /dev/sdz}"), node(INVENTORY));

    Verdict verdict = plan.verdicts().get("apps/data");
    assertThat(verdict.reason()).isEqualTo(Verdict.DEVICE_NOT_FOUND);
    assertThat(verdict.message()).contains("/dev/sdz", "worker-1");
    assertThat(written(plan)).isEmpty();
  }

  @Test
  void anUnsafeDeviceIsDeviceInUseWithTheInventorysReasonAndStaysOutOfTheSpec() {
    Plan plan = plan(lun("backing: {device: /dev/sdc}"), node(INVENTORY));

    Verdict verdict = plan.verdicts().get("apps/data");
    assertThat(verdict.reason()).isEqualTo(Verdict.DEVICE_IN_USE);
    assertThat(verdict.message()).contains("is mounted at /var/lib/data", "force: true");
    assertThat(written(plan)).isEmpty();
  }

  @Test
  void forceExportsAnUnsafeDevice() {
    Plan plan = plan(lun("force: true, backing: {device: /dev/sdc}"), node(INVENTORY));

    assertThat(plan.verdicts().get("apps/data").scheduled()).isTrue();
    assertThat(written(plan)).extracting(NodeLun::device).containsExactly("/dev/sdc");
  }

  @Test
  void aSafeDeviceIsFoundByDevNameByIdLinkOrKernelName() {
    for (String path : List.of("/dev/sdb", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", "sdb")) {
      Plan plan = plan(lun("backing: {device: " + path + "}"), node(INVENTORY));

      assertThat(plan.verdicts().get("apps/data").scheduled()).as(path).isTrue();
      assertThat(written(plan)).extracting(NodeLun::device).as(path).containsExactly(path);
    }
  }

  @Test
  void withoutAnInventoryOrForALinkOnlyTheNodeResolvesTheAgentDecides() {
    Plan noNode = plan(lun("backing: {device: /dev/sdz}"), null);
    Plan noInventory = plan(lun("backing: {device: /dev/sdz}"), node("status: {agentVersion: x}"));
    Plan byPath =
        plan(lun("backing: {device: /dev/disk/by-path/pci-0000:00:1f.2-ata-3}"), node(INVENTORY));

    for (Plan plan : List.of(noNode, noInventory, byPath)) {
      assertThat(plan.verdicts().get("apps/data").scheduled()).isTrue();
      assertThat(written(plan)).hasSize(1);
    }
  }

  @Test
  void fileBackedLunsAreUnaffectedByTheInventory() {
    Plan plan =
        plan(lun("backing: {file: {path: /srv/data.img, size: 1Gi}}"), node("status: {disks: []}"));

    assertThat(plan.verdicts().get("apps/data").scheduled()).isTrue();
    assertThat(written(plan)).hasSize(1);
  }

  @Test
  void aDeviceAlreadyExportedStaysWhenItsInventoryEntryTurnsUnsafe() {
    // The initiator put a filesystem on the exported disk: that is its data, not a reason to
    // withdraw it.
    IscsiNode node =
        node(
            """
            spec:
              targets:
                - tid: 1
                  iqn: iqn.2025-01.dev.lunar:apps.db
                  source: apps/db
                  luns: [{lun: 1, source: apps/data, device: /dev/sdc}]
            """
                + INVENTORY);

    Plan plan = plan(lun("backing: {device: /dev/sdc}"), node);

    assertThat(plan.verdicts().get("apps/data").scheduled()).isTrue();
    assertThat(written(plan)).extracting(NodeLun::device).containsExactly("/dev/sdc");
  }
}
