package dev.lunar.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on transitions of the Ready condition (not on every reconcile), so {@code
 * kubectl describe} tells the story: {@code Normal Serving}, {@code Warning NodeUnavailable}, ...
 * Messages come from conditions, which never hold a secret.
 */
final class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "lunar-operator";

  private final Consumer<Event> sink;
  private final Clock clock;

  EventRecorder(KubernetesClient client, Clock clock) {
    this(event -> create(client, event), clock);
  }

  /** Records into {@code sink}, for tests. */
  EventRecorder(Consumer<Event> sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Writes a changed status with {@code write}, then records the Ready transition from {@code
   * before} to {@code after}, if there is one. The event follows a successful write only: a write
   * that throws records nothing, and the reconcile JOSDK retries then records it once.
   */
  void afterStatusWrite(
      HasMetadata object, List<Condition> before, List<Condition> after, Runnable write) {
    write.run();
    readyTransition(object, before, after);
  }

  /**
   * Records the Ready transition from {@code before} to {@code after}, if there is one; a new
   * object's first "Applying" is no news.
   */
  private void readyTransition(HasMetadata object, List<Condition> before, List<Condition> after) {
    Condition was = Conditions.find(before, Conditions.READY);
    Condition now = Conditions.find(after, Conditions.READY);
    if (now == null
        || (was == null && TargetStatusFolder.APPLYING.equals(now.getReason()))
        || (was != null
            && Objects.equals(was.getStatus(), now.getStatus())
            && Objects.equals(was.getReason(), now.getReason()))) {
      return;
    }
    record(
        object,
        "True".equals(now.getStatus()) ? "Normal" : "Warning",
        now.getReason(),
        now.getMessage());
  }

  void record(HasMetadata object, String type, String reason, String message) {
    String time = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            // Events about cluster-scoped objects (IscsiPool) live in "default", as kubectl looks.
            .withNamespace(
                Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default"))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withUid(object.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withCount(1)
            .build();
    sink.accept(event);
  }

  private static void create(KubernetesClient client, Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; the condition already holds the truth.
      log.warn(
          "could not record event {} on {}: {}",
          event.getReason(),
          event.getInvolvedObject().getName(),
          e.getMessage());
    }
  }
}
