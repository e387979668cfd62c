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
   * The reason of something an agent reports not ready: the report's reason field, else {@code
   * fallback}. An agent before that field has only a message, which began with the reason ({@code
   * "DeviceInUse: /dev/sdb is mounted"}); that is read as long as such agents may still run.
   */
  static String agentReason(String reason, String message, String fallback) {
    return reason != null ? reason : reasonOf(message, fallback);
  }

  /**
   * The reason an old agent's message starts with, or {@code fallback} when it carries none. Only
   * for agents whose status has no reason field; remove once none is left to upgrade.
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
