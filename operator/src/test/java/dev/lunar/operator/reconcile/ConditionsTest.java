package dev.lunar.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.operator.reconcile.Conditions.Wanted;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T1 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-23T12:05:00Z");

  @Test
  void anUnchangedStatusKeepsItsTransitionTimeSoNothingIsRewritten() {
    List<Condition> first = Conditions.merge(null, 1, T1, ready(true, "Serving"));
    List<Condition> again = Conditions.merge(first, 1, T2, ready(true, "Serving"));
    assertThat(again).isEqualTo(first);
    assertThat(again.getFirst().getLastTransitionTime()).isEqualTo("2026-11-23T12:00:00Z");
  }

  @Test
  void aFlipMovesTheTransitionTime() {
    List<Condition> first = Conditions.merge(null, 1, T1, ready(true, "Serving"));
    List<Condition> flipped = Conditions.merge(first, 1, T2, ready(false, "NodeUnavailable"));
    assertThat(flipped.getFirst().getStatus()).isEqualTo("False");
    assertThat(flipped.getFirst().getLastTransitionTime()).isEqualTo("2026-11-23T12:05:00Z");
  }

  @Test
  void aNewReasonWithTheSameStatusKeepsTheTransitionTime() {
    List<Condition> first = Conditions.merge(null, 1, T1, ready(false, "Applying"));
    List<Condition> next = Conditions.merge(first, 2, T2, ready(false, "DeviceInUse"));
    assertThat(next.getFirst().getReason()).isEqualTo("DeviceInUse");
    assertThat(next.getFirst().getObservedGeneration()).isEqualTo(2L);
    assertThat(next.getFirst().getLastTransitionTime()).isEqualTo("2026-11-23T12:00:00Z");
  }

  @Test
  void anOldAgentsReasonIsTheLeadingWordOfItsMessage() {
    assertThat(Conditions.reasonOf("DeviceInUse: /dev/loop3 holds ext4", "LunError"))
        .isEqualTo("DeviceInUse");
    assertThat(Conditions.reasonOf("cannot open /x: no such file", "LunError"))
        .isEqualTo("LunError");
    assertThat(Conditions.reasonOf(null, "LunError")).isEqualTo("LunError");
  }

  private static Wanted ready(boolean status, String reason) {
    return new Wanted(Conditions.READY, status, reason, reason + " message");
  }
}
