package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiPool;
import dev.lunar.crds.api.v1alpha1.IscsiPoolStatus;
import dev.lunar.operator.view.NodeHealth;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An IscsiPool's status from its node's measurement. */
class PoolStatusFolderTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final NodeHealth ALIVE = new NodeHealth(true, "alive", Duration.ofSeconds(40));

  private static final IscsiPool POOL =
      Serialization.unmarshal(
          """
          apiVersion: iscsi.lunar.dev/v1alpha1
          kind: IscsiPool
          metadata: {name: fast, generation: 3}
          spec: {node: worker-1, directory: {path: /var/lib/lunar/pools/fast}}
          """,
          IscsiPool.class);

  private static IscsiNode node(String status) {
    return Serialization.unmarshal(
        "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-1}\n"
            + status,
        IscsiNode.class);
  }

  @Test
  void theAgentsFiguresBecomeTheStatusWithReadableQuantities() {
    IscsiNode node =
        node(
            """
            status:
              pools:
                - {name: fast, ready: true, capacityBytes: 10737418240, allocatedBytes: 1073741824,
                   freeBytes: 9663676416, volumeCount: 1}
            """);

    IscsiPoolStatus status = PoolStatusFolder.fold(POOL, node, ALIVE, NOW);

    assertThat(status.conditions().getFirst().getStatus()).isEqualTo("True");
    assertThat(status.observedGeneration()).isEqualTo(3);
    assertThat(status.freeBytes()).isEqualTo(9663676416L);
    assertThat(status.capacity()).isEqualTo(new Quantity("10", "Gi"));
    assertThat(status.free()).isEqualTo(new Quantity("9", "Gi"));
    assertThat(PoolStatusFolder.quantity(1536L << 20)).isEqualTo(new Quantity("1.5", "Gi"));
    assertThat(PoolStatusFolder.quantity(512L)).isEqualTo(new Quantity("512", ""));
  }

  @Test
  void noAgentNoMeasurementOrAnAgentAwayEachSayWhy() {
    IscsiNode unmeasured = node("status: {}\n");
    IscsiNode measured =
        node("status:\n  pools: [{name: fast, ready: true, capacityBytes: 1, freeBytes: 1}]\n");
    NodeHealth away = new NodeHealth(false, "the agent's heartbeat expired", Duration.ZERO);

    assertThat(PoolStatusFolder.fold(POOL, null, null, NOW).conditions().getFirst().getReason())
        .isEqualTo(PoolStatusFolder.NODE_NOT_FOUND);
    assertThat(
            PoolStatusFolder.fold(POOL, unmeasured, ALIVE, NOW).conditions().getFirst().getReason())
        .isEqualTo(PoolStatusFolder.NOT_MEASURED);
    assertThat(PoolStatusFolder.fold(POOL, measured, away, NOW).conditions().getFirst().getReason())
        .isEqualTo(PoolStatusFolder.AGENT_UNAVAILABLE);
  }

  @Test
  void aVolumeGroupPoolSaysWhereItIsAndPassesTheAgentsReasonOn() {
    IscsiPool lvm =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiPool
            metadata: {name: fast, generation: 1}
            spec: {node: worker-1, volumeGroup: {name: vg0, thinPool: pool0}}
            """,
            IscsiPool.class);
    IscsiNode ready =
        node("status:\n  pools: [{name: fast, ready: true, capacityBytes: 1, freeBytes: 1}]\n");
    IscsiNode notZeroing =
        node(
            "status:\n  pools: [{name: fast, ready: false, reason: ThinPoolNotZeroing,"
                + " message: 'thin pool vg0/pool0 does not zero new chunks'}]\n");

    assertThat(PoolStatusFolder.fold(lvm, ready, ALIVE, NOW).conditions().getFirst().getMessage())
        .isEqualTo("measured by the agent of node worker-1 in volume group vg0, thin pool pool0");
    var condition = PoolStatusFolder.fold(lvm, notZeroing, ALIVE, NOW).conditions().getFirst();
    assertThat(condition.getReason()).isEqualTo("ThinPoolNotZeroing");
    assertThat(condition.getMessage()).isEqualTo("thin pool vg0/pool0 does not zero new chunks");
  }
}
