package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiLunSpec;
import dev.lunar.crds.api.v1alpha1.IscsiLunStatus;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import dev.lunar.crds.api.v1alpha1.IscsiTargetSpec;
import dev.lunar.crds.api.v1alpha1.IscsiTargetStatus;
import dev.lunar.crds.api.v1alpha1.LunBacking;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus;
import dev.lunar.crds.api.v1alpha1.NodeTargetStatus.NodeLunStatus;
import dev.lunar.crds.api.v1alpha1.SessionStatus;
import dev.lunar.operator.plan.Verdict;
import dev.lunar.operator.reconcile.LunStatusFolder.Volume;
import dev.lunar.operator.view.NodeHealth;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Ready reason of IscsiTarget and IscsiLun, from the inputs that lead to it. */
class StatusFolderTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final NodeHealth ALIVE = new NodeHealth(true, null, Duration.ofSeconds(30));
  private static final NodeHealth DEAD =
      new NodeHealth(
          false, "the agent on node w1 last renewed its heartbeat 50 s ago", Duration.ZERO);
  private static final Verdict SCHEDULED = new Verdict(Verdict.SCHEDULED, "in w1");
  private static final String IQN = "iqn.2026-11.dev.lunar:t";
  private static final NodeTarget WRITTEN =
      new NodeTarget(
          3,
          IQN,
          "ns/t",
          3260,
          List.of(
              new NodeLun(
                  1, "ns/disk", null, "/f", 1L << 20, true, false, 512, "s1", null, null, null,
                  null)),
          List.of(),
          List.of(),
          null,
          null,
          null);
  private static final SessionStatus SESSION =
      new SessionStatus(
          "iqn.1993-08.org.debian:01:c", "127.0.0.1:50000", 1, "2026-11-23T11:59:00Z");

  @Test
  void aServedTargetIsReadyWithItsSessionsAndLuns() {
    IscsiTargetStatus status =
        fold(placement(ALIVE, true, served(true, null, lunStatus(true, null))));
    assertThat(ready(status.conditions()))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", "Serving");
    assertThat(status.sessions()).containsExactly(SESSION);
    assertThat(status.sessionCount()).isEqualTo(1);
    assertThat(status.luns()).singleElement().satisfies(l -> assertThat(l.ready()).isTrue());
    assertThat(status.iqn()).isEqualTo(IQN);
    assertThat(status.portals()).containsExactly("10.0.0.1:3260");
    assertThat(status.observedGeneration()).isEqualTo(4L);
  }

  @Test
  void aDeadAgentMakesTheTargetAndItsLunsNodeUnavailable() {
    Placement p = placement(DEAD, true, served(true, null, lunStatus(true, null)));
    assertThat(ready(fold(p).conditions()).getReason()).isEqualTo("NodeUnavailable");
    assertThat(ready(fold(p).conditions()).getMessage()).contains("50 s ago");
    assertThat(ready(foldLun(p, SCHEDULED).conditions()).getReason()).isEqualTo("NodeUnavailable");
  }

  @Test
  void aSpecTheAgentHasNotAppliedYetIsApplying() {
    Placement p = placement(ALIVE, false, served(true, null, lunStatus(true, null)));
    assertThat(ready(fold(p).conditions()).getReason()).isEqualTo("Applying");
    assertThat(ready(foldLun(p, SCHEDULED).conditions()).getReason()).isEqualTo("Applying");
  }

  @Test
  void aReadyTargetStaysReadyWhileTheNodeAppliesAnUnrelatedChange() {
    IscsiTarget target = target();
    target.setStatus(fold(placement(ALIVE, true, served(true, null, lunStatus(true, null)))));
    Placement reapplying = placement(ALIVE, false, served(true, null, lunStatus(true, null)));
    IscsiTargetStatus status = TargetStatusFolder.fold(target, SCHEDULED, reapplying, NOW);
    assertThat(status).isEqualTo(target.getStatus());
  }

  @Test
  void aPlanningVerdictWinsOverEverythingElse() {
    Placement p = placement(ALIVE, true, served(true, null, lunStatus(true, null)));
    Verdict invalid = new Verdict(Verdict.SECRET_INVALID, "Secret ns/chap does not exist");
    IscsiTargetStatus status = TargetStatusFolder.fold(target(), invalid, p, NOW);
    assertThat(ready(status.conditions()).getReason()).isEqualTo("SecretInvalid");
    Condition scheduled =
        status.conditions().stream()
            .filter(c -> c.getType().equals("Scheduled"))
            .findFirst()
            .orElseThrow();
    assertThat(scheduled.getStatus()).isEqualTo("False");
    Verdict duplicate = new Verdict(Verdict.DUPLICATE_LUN, "LUN 1 of ns/t is already used by ns/a");
    assertThat(ready(foldLun(p, duplicate).conditions()).getReason()).isEqualTo("DuplicateLun");
  }

  @Test
  void aLunTheAgentRefusedCarriesTheAgentsReason() {
    Placement p =
        placement(
            ALIVE,
            true,
            served(
                true, null, lunStatus(false, "DeviceInUse", "DeviceInUse: /dev/loop3 holds ext4")));
    IscsiLunStatus status = foldLun(p, SCHEDULED);
    assertThat(ready(status.conditions()))
        .extracting(Condition::getReason, Condition::getMessage)
        .containsExactly("DeviceInUse", "DeviceInUse: /dev/loop3 holds ext4");
    assertThat(status.size()).isNull();
  }

  @Test
  void theReasonFieldDecidesNotTheMessage() {
    Placement p =
        placement(ALIVE, true, served(true, null, lunStatus(false, "DeviceNotFound", "Odd: text")));
    assertThat(ready(foldLun(p, SCHEDULED).conditions()).getReason()).isEqualTo("DeviceNotFound");
  }

  @Test
  void anAgentWithoutTheReasonFieldStillHasItsReasonRead() {
    Placement p =
        placement(
            ALIVE,
            true,
            served(true, null, lunStatus(false, null, "DeviceInUse: /dev/loop3 holds ext4")));
    assertThat(ready(foldLun(p, SCHEDULED).conditions()).getReason()).isEqualTo("DeviceInUse");
  }

  @Test
  void aServedLunIsReadyWithItsSizeSerialAndBlockSize() {
    Placement p = placement(ALIVE, true, served(true, null, lunStatus(true, null)));
    IscsiLunStatus status = foldLun(p, SCHEDULED);
    assertThat(ready(status.conditions()).getStatus()).isEqualTo("True");
    assertThat(status.size().toString()).isEqualTo("1Mi");
    assertThat(status.blockSize()).isEqualTo(512);
    assertThat(status.serial()).isEqualTo("s1");
    assertThat(status.node()).isEqualTo("w1");
  }

  @Test
  void aLunWhoseTargetIsMissingSaysSo() {
    Verdict missing = new Verdict(Verdict.TARGET_NOT_FOUND, "IscsiTarget ns/t does not exist");
    IscsiLunStatus status = LunStatusFolder.fold(lun(), missing, null, Volume.NONE, NOW);
    assertThat(ready(status.conditions()).getReason()).isEqualTo("TargetNotFound");
  }

  @Test
  void aTargetTheAgentFailedToServeCarriesItsMessage() {
    Placement p =
        placement(ALIVE, true, served(false, "cannot bind portal", lunStatus(true, null)));
    assertThat(ready(fold(p).conditions()))
        .extracting(Condition::getReason, Condition::getMessage)
        .containsExactly("TargetError", "cannot bind portal");
  }

  @Test
  void aLunWithoutAPersistentVolumeHasNoVolumeCondition() {
    Placement p = placement(ALIVE, true, served(true, null, lunStatus(true, null)));
    assertThat(foldLun(p, SCHEDULED).conditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Scheduled");
  }

  @Test
  void aPersistentVolumeIsWaitingThenCreatedAndItsNameRecorded() {
    Placement p = placement(ALIVE, true, served(true, null, lunStatus(true, null)));
    IscsiLunStatus waiting = LunStatusFolder.fold(lun(), SCHEDULED, p, Volume.WAITING, NOW);
    assertThat(volume(waiting))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", "WaitingForLun");
    IscsiLunStatus created =
        LunStatusFolder.fold(lun(), SCHEDULED, p, Volume.created("lunar-ns-disk"), NOW);
    assertThat(volume(created))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("True", "Created", "PersistentVolume lunar-ns-disk");
    assertThat(created.persistentVolumeName()).isEqualTo("lunar-ns-disk");
  }

  @Test
  void aRefusedPersistentVolumeIsAConditionAndNewsOncePerFailure() {
    Placement p = placement(ALIVE, true, served(true, null, lunStatus(true, null)));
    Volume refused =
        Volume.failed(
            "cannot create PersistentVolume lunar-ns-disk: forbidden",
            new KubernetesClientException("forbidden"));
    IscsiLunStatus failed = LunStatusFolder.fold(lun(), SCHEDULED, p, refused, NOW);
    assertThat(volume(failed))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "False",
            "PersistentVolumeFailed",
            "cannot create PersistentVolume lunar-ns-disk: forbidden");
    assertThat(ready(failed.conditions()).getStatus()).isEqualTo("True");
    assertThat(failed.persistentVolumeName()).isNull();

    assertThat(LunStatusFolder.volumeFailedAnew(null, failed)).isTrue();
    assertThat(LunStatusFolder.volumeFailedAnew(failed.conditions(), failed)).isFalse();
  }

  @Test
  void sizesUseTheLargestBinaryUnitThatDividesThem() {
    assertThat(LunStatusFolder.Sizes.quantity(10L << 30).toString()).isEqualTo("10Gi");
    assertThat(LunStatusFolder.Sizes.quantity(1536).toString()).isEqualTo("1536");
    assertThat(LunStatusFolder.Sizes.quantity(0).toString()).isEqualTo("0");
  }

  private static IscsiTargetStatus fold(Placement p) {
    return TargetStatusFolder.fold(target(), SCHEDULED, p, NOW);
  }

  private static IscsiLunStatus foldLun(Placement p, Verdict verdict) {
    return LunStatusFolder.fold(lun(), verdict, p, Volume.NONE, NOW);
  }

  private static Placement placement(NodeHealth health, boolean applied, NodeTargetStatus served) {
    return new Placement("w1", health, WRITTEN, WRITTEN, applied, served, List.of("10.0.0.1:3260"));
  }

  private static NodeTargetStatus served(boolean ready, String message, NodeLunStatus lun) {
    return new NodeTargetStatus(3, IQN, ready, null, message, List.of(lun), List.of(SESSION));
  }

  private static NodeLunStatus lunStatus(boolean ready, String message) {
    return lunStatus(ready, null, message);
  }

  private static NodeLunStatus lunStatus(boolean ready, String reason, String message) {
    return new NodeLunStatus(
        1, ready, reason, message, ready ? 1L << 20 : null, ready ? 512 : null);
  }

  private static IscsiTarget target() {
    IscsiTarget t = new IscsiTarget();
    t.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("t").withGeneration(4L).build());
    t.setSpec(new IscsiTargetSpec("w1", null, null, null, null, null));
    return t;
  }

  private static IscsiLun lun() {
    IscsiLun l = new IscsiLun();
    l.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("disk").withGeneration(1L).build());
    l.setSpec(
        new IscsiLunSpec(
            "t",
            1,
            new LunBacking(null, new LunBacking.FileBacking("/f", null, true), null),
            false,
            512,
            null,
            null,
            false,
            null));
    return l;
  }

  private static Condition volume(IscsiLunStatus status) {
    return Conditions.find(status.conditions(), LunStatusFolder.VOLUME_CREATED);
  }

  private static Condition ready(List<Condition> conditions) {
    return Conditions.find(conditions, Conditions.READY);
  }
}
