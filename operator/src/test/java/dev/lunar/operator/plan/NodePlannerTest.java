package dev.lunar.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePlannerTest {

  private static final String SYSTEM = "lunar-system";

  private static IscsiTarget target(String name, String extra) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiTarget
        metadata: {name: %s, namespace: apps, creationTimestamp: "2026-11-01T00:00:0%dZ"}
        spec:
          node: worker-1
          %s
        """
            .formatted(name, name.length() % 10, extra),
        IscsiTarget.class);
  }

  private static IscsiLun lun(String name, String target, int number, String created) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: %s, namespace: apps, creationTimestamp: "%s"}
        spec:
          target: %s
          lun: %d
          backing: {file: {path: /srv/%s.img, size: 1Gi, thin: true}}
        """
            .formatted(name, created, target, number, name),
        IscsiLun.class);
  }

  private static final SecretLookup NO_SECRETS = (ns, name) -> null;

  @Test
  void targetsAndLunsBecomeTheirNodesDesiredSet() {
    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "initiators: {addresses: [10.0.0.0/8]}")),
            List.of(lun("db-data", "db", 1, "2026-11-01T00:00:05Z")),
            List.of(),
            Map.of(),
            NO_SECRETS,
            SYSTEM);

    NodeTarget t = plan.nodes().get("worker-1").spec().targets().getFirst();
    assertThat(t.tid()).isEqualTo(1);
    assertThat(t.iqn()).isEqualTo("iqn.2025-01.dev.lunar:apps.db");
    assertThat(t.source()).isEqualTo("apps/db");
    assertThat(t.initiatorAddresses()).containsExactly("10.0.0.0/8");
    assertThat(t.luns().getFirst().file()).isEqualTo("/srv/db-data.img");
    assertThat(t.luns().getFirst().sizeBytes()).isEqualTo(1L << 30);
    assertThat(plan.nodes().get("worker-1").spec().credentialsSecret().name())
        .isEqualTo("lunar-node-worker-1");
    assertThat(plan.verdicts().get("apps/db-data").scheduled()).isTrue();
  }

  @Test
  void aLunWhoseTargetIsMissingIsTargetNotFound() {
    Plan plan =
        NodePlanner.plan(
            List.of(),
            List.of(lun("orphan", "nope", 1, "2026-11-01T00:00:05Z")),
            List.of(),
            Map.of(),
            NO_SECRETS,
            SYSTEM);

    assertThat(plan.verdicts().get("apps/orphan").reason()).isEqualTo(Verdict.TARGET_NOT_FOUND);
  }

  @Test
  void theOlderClaimOnALunNumberWinsAndTheOtherIsDuplicateLun() {
    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "")),
            List.of(
                lun("second", "db", 1, "2026-11-01T00:00:09Z"),
                lun("first", "db", 1, "2026-11-01T00:00:05Z")),
            List.of(),
            Map.of(),
            NO_SECRETS,
            SYSTEM);

    assertThat(plan.verdicts().get("apps/first").scheduled()).isTrue();
    assertThat(plan.verdicts().get("apps/second").reason()).isEqualTo(Verdict.DUPLICATE_LUN);
    assertThat(plan.nodes().get("worker-1").spec().targets().getFirst().luns()).hasSize(1);
  }

  @Test
  void targetIdsStayStableAndNewTargetsTakeTheLowestFreeId() {
    IscsiNode current =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiNode
            metadata: {name: worker-1}
            spec:
              targets:
                - {tid: 2, iqn: iqn.2025-01.dev.lunar:apps.b, source: apps/b}
            """,
            IscsiNode.class);

    Plan plan =
        NodePlanner.plan(
            List.of(target("a", ""), target("b", ""), target("c", "")),
            List.of(),
            List.of(),
            Map.of("worker-1", current),
            NO_SECRETS,
            SYSTEM);

    assertThat(plan.nodes().get("worker-1").spec().targets())
        .extracting(t -> t.source() + "=" + t.tid())
        .containsExactlyInAnyOrder("apps/a=1", "apps/b=2", "apps/c=3");
  }

  @Test
  void chapSecretsMoveIntoTheNodeCredentialsAndTheSpecOnlyNamesKeys() {
    SecretLookup secrets =
        (ns, name) ->
            name.equals("db-chap")
                ? Map.of("username", "alice", "password", "alice-long-secret")
                : null;

    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "chap: {secretName: db-chap}")),
            List.of(),
            List.of(),
            Map.of(),
            secrets,
            SYSTEM);

    NodeDesired node = plan.nodes().get("worker-1");
    NodeTarget t = node.spec().targets().getFirst();
    assertThat(node.credentials())
        .containsEntry(t.chap().usernameKey(), "alice")
        .containsEntry(t.chap().passwordKey(), "alice-long-secret");
    assertThat(Serialization.asYaml(node.spec())).doesNotContain("alice-long-secret");
    assertThat(node.toString()).doesNotContain("alice-long-secret");
  }

  @Test
  void aMissingOrWeakChapSecretIsSecretInvalidAndTheTargetStaysLocked() {
    SecretLookup weak = (ns, name) -> Map.of("username", "alice", "password", "short");

    Plan missing =
        NodePlanner.plan(
            List.of(target("db", "chap: {secretName: gone}")),
            List.of(),
            List.of(),
            Map.of(),
            NO_SECRETS,
            SYSTEM);
    Plan tooShort =
        NodePlanner.plan(
            List.of(target("db", "chap: {secretName: weak}")),
            List.of(),
            List.of(),
            Map.of(),
            weak,
            SYSTEM);

    assertThat(missing.verdicts().get("apps/db").reason()).isEqualTo(Verdict.SECRET_INVALID);
    assertThat(missing.verdicts().get("apps/db").message()).contains("does not exist");
    assertThat(tooShort.verdicts().get("apps/db").message()).contains("12 to 255");
    NodeTarget locked = missing.nodes().get("worker-1").spec().targets().getFirst();
    assertThat(locked.chap()).as("CHAP stays required").isNotNull();
    assertThat(missing.nodes().get("worker-1").credentials()).isEmpty();
  }

  @Test
  void aNodeWhoseTargetsAreAllGoneGetsAnEmptySpec() {
    IscsiNode current =
        Serialization.unmarshal(
            "apiVersion: iscsi.lunar.dev/v1alpha1\nkind: IscsiNode\nmetadata: {name: worker-9}\n",
            IscsiNode.class);

    Plan plan =
        NodePlanner.plan(
            List.of(), List.of(), List.of(), Map.of("worker-9", current), NO_SECRETS, SYSTEM);

    assertThat(plan.nodes().get("worker-9").spec().targets()).isEmpty();
  }

  @Test
  void aChapSecretInTheKubeletsLayoutServesTheTargetToo() {
    SecretLookup secrets =
        (ns, name) ->
            Map.of(
                "node.session.auth.username", "alice",
                "node.session.auth.password", "alice-long-secret");
    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "chap: {secretName: db-chap}")),
            List.of(),
            List.of(),
            Map.of(),
            secrets,
            SYSTEM);
    assertThat(plan.verdicts().get("apps/db").scheduled()).isTrue();
    assertThat(plan.nodes().get("worker-1").credentials()).containsValue("alice-long-secret");
  }

  @Test
  void aLunWithoutSerialGetsOneFromItsUidThatNeverChanges() {
    IscsiLun lun = lun("db-data", "db", 1, "2026-11-01T00:00:05Z");
    lun.getMetadata().setUid("5f0c2a9e-1b7d-4c3e-9a8f-0123456789ab");
    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "")), List.of(lun), List.of(), Map.of(), NO_SECRETS, SYSTEM);
    String serial =
        plan.nodes().get("worker-1").spec().targets().getFirst().luns().getFirst().serial();
    assertThat(serial).isEqualTo("5f0c2a9e1b7d4c3e9a8f0123456789ab");
  }

  @Test
  void keepTidsPrefersTheNodesLatestCopy() {
    Plan plan =
        NodePlanner.plan(
            List.of(target("db", "")), List.of(), List.of(), Map.of(), NO_SECRETS, SYSTEM);
    var spec = plan.nodes().get("worker-1").spec();
    IscsiNode latest = new IscsiNode();
    NodeTarget written = spec.targets().getFirst();
    latest.setSpec(
        new IscsiNodeSpec(
            spec.credentialsSecret(),
            List.of(
                new NodeTarget(
                    7,
                    written.iqn(),
                    written.source(),
                    written.port(),
                    written.luns(),
                    written.initiatorNames(),
                    written.initiatorAddresses(),
                    null,
                    null,
                    null)),
            null));
    assertThat(NodePlanner.keepTids(spec, latest).targets().getFirst().tid()).isEqualTo(7);
  }
}
