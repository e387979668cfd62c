package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.target.TargetState;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus.NodePoolStatus;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

  /**
   * Every status column of {@code kubectl get iscsinodes} shows something while the agent runs: the
   * agent is the status's only writer, so a column on a field it never fills stays empty.
   */
  @Test
  void theAgentFillsEveryStatusColumnOfItsNode() {
    IscsiNodeStatus status =
        StatusBuilder.build(
            "0.1.0", List.of("127.0.0.1:3260"), List.of(), null, List.of(), Map.of(), null, null);
    JsonNode written = Serialization.jsonMapper().valueToTree(status);

    List<String> statusColumns =
        Arrays.stream(IscsiNode.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .filter(path -> path.startsWith(".status."))
            .toList();

    assertThat(statusColumns).isNotEmpty();
    for (String path : statusColumns) {
      JsonNode value = written.at(path.substring(".status".length()).replace('.', '/'));
      assertThat(value.isMissingNode() || value.isNull()).as(path + " is empty").isFalse();
    }
  }

  /**
   * A refused LUN reports its reason in the reason field, for the operator's condition, and keeps
   * it at the start of its message, where operators before that field looked for it; a LUN the
   * engine could not open has only a message.
   */
  @Test
  void aRefusedLunCarriesItsReasonAndAFailedOneOnlyItsMessage() {
    NodeTarget target =
        new NodeTarget(
            1,
            "iqn.2026-11.dev.lunar:t",
            "ns/t",
            3260,
            List.of(
                new NodeLun(
                    1,
                    "ns/a",
                    "/dev/sdb",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
                new NodeLun(
                    2, "ns/b", null, "/x", 4096L, null, null, null, null, null, null, null, null)),
            List.of(),
            List.of("ALL"),
            null,
            null,
            Map.of());
    DesiredSet desired =
        new DesiredSet(
            TargetSetSpec.empty(),
            Map.of("1/1", new Refusal(Refusal.DEVICE_IN_USE, "/dev/sdb holds ext4")));
    ApplyReport report = new ApplyReport(List.of(new ApplyReport.Problem(1, 2, "/x: no space")));
    StatusBuilder.Applied applied =
        new StatusBuilder.Applied(
            3,
            new IscsiNodeSpec(null, List.of(target), null),
            desired,
            report,
            "2026-11-01T00:00:00Z");
    List<TargetState> live =
        List.of(
            new TargetState(
                1, target.iqn(), List.of(), List.of(new TargetState.LunState(0, 0, 0, true))));

    NodeTargetStatus served =
        StatusBuilder.build("0.1.0", List.of(), List.of(), applied, live, Map.of(), null, null)
            .targets()
            .getFirst();

    assertThat(served.luns())
        .extracting(
            NodeTargetStatus.NodeLunStatus::ready,
            NodeTargetStatus.NodeLunStatus::reason,
            NodeTargetStatus.NodeLunStatus::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                false, "DeviceInUse", "DeviceInUse: /dev/sdb holds ext4"),
            org.assertj.core.groups.Tuple.tuple(false, null, "/x: no space"));
  }

  /** The pools go into the status as measured, in the order given, and take no part in Ready. */
  @Test
  void thePoolsAreReportedAsGivenBesideAReadyNode() {
    List<NodePoolStatus> pools =
        List.of(
            new NodePoolStatus("fast", true, null, null, 100L << 30, 10L << 30, 90L << 30, 2),
            new NodePoolStatus(
                "slow", false, "PoolDirectoryMissing", "/p does not exist", null, 0L, null, 0));
    StatusBuilder.Applied applied =
        new StatusBuilder.Applied(
            1,
            new IscsiNodeSpec(null, List.of(), List.of()),
            new DesiredSet(TargetSetSpec.empty(), Map.of()),
            new ApplyReport(List.of()),
            "2026-11-01T00:00:00Z");

    IscsiNodeStatus status =
        StatusBuilder.build(
            "0.1.0", List.of(), List.of(), applied, List.of(), Map.of(), null, pools);

    assertThat(status.pools()).isEqualTo(pools);
    assertThat(status.conditions().getFirst().getStatus()).isEqualTo("True");
    assertThat(
            StatusBuilder.build(
                    "0.1.0", List.of(), List.of(), applied, List.of(), Map.of(), null, null)
                .pools())
        .isNull();
  }
}
