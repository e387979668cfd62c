package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  private final List<Event> recorded = new ArrayList<>();
  private final EventRecorder events =
      new EventRecorder(
          recorded::add, Clock.fixed(Instant.parse("2026-11-23T12:00:00.750Z"), ZoneOffset.UTC));

  private static IscsiTarget target() {
    IscsiTarget target = new IscsiTarget();
    target.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("apps").build());
    return target;
  }

  private static List<Condition> ready(boolean status, String reason) {
    return List.of(
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(status ? "True" : "False")
            .withReason(reason)
            .withMessage(reason + " message")
            .build());
  }

  @Test
  void aFailedStatusWriteRecordsNoEventAndItsRetryRecordsOne() {
    List<Condition> before = ready(false, "NodeUnavailable");
    List<Condition> after = ready(true, "Serving");

    assertThatThrownBy(
            () ->
                events.afterStatusWrite(
                    target(),
                    before,
                    after,
                    () -> {
                      throw new KubernetesClientException("conflict");
                    }))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(recorded).isEmpty();

    events.afterStatusWrite(target(), before, after, () -> {});
    assertThat(recorded)
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).isEqualTo("Serving"));
    assertThat(recorded.getFirst().getType()).isEqualTo("Normal");
  }

  @Test
  void onlyReadyTransitionsAreEventsAndANewObjectsFirstApplyingIsNot() {
    events.afterStatusWrite(target(), null, ready(false, "Applying"), () -> {});
    events.afterStatusWrite(target(), ready(false, "Applying"), ready(false, "Applying"), () -> {});
    assertThat(recorded).isEmpty();

    events.afterStatusWrite(
        target(), ready(true, "Serving"), ready(false, "NodeUnavailable"), () -> {});
    assertThat(recorded)
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void anEventIsStampedWithTheInjectedClockToTheSecond() {
    events.record(target(), "Warning", "PersistentVolumeFailed", "cannot create");
    assertThat(recorded.getFirst().getFirstTimestamp()).isEqualTo("2026-11-23T12:00:00Z");
    assertThat(recorded.getFirst().getLastTimestamp()).isEqualTo("2026-11-23T12:00:00Z");
  }
}
