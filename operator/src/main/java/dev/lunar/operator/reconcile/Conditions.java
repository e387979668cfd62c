package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Conditions as the Kubernetes API conventions want them: {@code lastTransitionTime} moves only
 * when the status flips, and an unchanged condition stays byte-for-byte the same, so a status that
 * did not change is never written.
 */
final class Conditions {

  static final String READY = "Ready";
  static final String SCHEDULED = "Scheduled";

  private Conditions() {}

  /** One wanted condition, before timestamps. */
  record Wanted(String type, boolean status, String reason, String message) {}

  static List<Condition> merge(
      List<Condition> current, long generation, Instant now, Wanted... wanted) {
    List<Condition> result = new ArrayList<>();
    for (Wanted w : wanted) {
      String status = w.status() ? "True" : "False";
      Condition before = find(current, w.type());
      String since =
          before != null && status.equals(before.getStatus())
              ? before.getLastTransitionTime()
              : now.truncatedTo(ChronoUnit.SECONDS).toString();
      result.add(
          new ConditionBuilder()
              .withType(w.type())
              .withStatus(status)
              .withReason(w.reason())
              .withMessage(w.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return result;
  }

  static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition c : conditions) {
      if (Objects.equals(type, c.getType())) {
        return c;
      }
    }
    return null;
  }

  /**
   * The reason an agent message starts with ({@code "DeviceInUse: /dev/sdb is mounted"}), or {@code
   * fallback} when it carries none.
   */
  static String reasonOf(String message, String fallback) {
    if (message != null) {
      int colon = message.indexOf(':');
      if (colon > 0 && message.substring(0, colon).matches("[A-Z][A-Za-z]+")) {
        return message.substring(0, colon);
      }
    }
    return fallback;
  }
}
