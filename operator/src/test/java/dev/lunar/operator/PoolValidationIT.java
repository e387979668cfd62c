package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IscsiPool schema's rules on the real kube-apiserver: one kind, and a kind that stays. */
class PoolValidationIT {

  private static RealApiServer apiServer;
  private static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    apiServer = RealApiServer.start();
    apiServer.applyCommittedCrds();
    client = apiServer.client();
  }

  @AfterAll
  static void stopApiServer() {
    if (apiServer != null) {
      apiServer.close();
    }
  }

  private static IscsiPool pool(String name, String kind) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: %s}
        spec: {node: worker-1%s}
        """
            .formatted(name, kind.isEmpty() ? "" : ", " + kind),
        IscsiPool.class);
  }

  /** Replaces the stored pool with {@code changed}, at the stored version. */
  private static IscsiPool update(IscsiPool changed) {
    String name = changed.getMetadata().getName();
    changed
        .getMetadata()
        .setResourceVersion(
            client
                .resources(IscsiPool.class)
                .withName(name)
                .get()
                .getMetadata()
                .getResourceVersion());
    return client.resource(changed).update();
  }

  private static void assertRejected(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .message()
        .contains(message);
  }

  @Test
  void aPoolOfBothKindsOrOfNoneIsRejected() {
    String oneKind = "set exactly one of directory (a path on the node) or volumeGroup";

    assertRejected(
        () ->
            client
                .resource(
                    pool("both", "directory: {path: /var/lib/lunar/p}, volumeGroup: {name: vg0}"))
                .create(),
        oneKind);
    assertRejected(() -> client.resource(pool("none", "")).create(), oneKind);
  }

  @Test
  void aVolumeGroupPoolIsAcceptedWithOrWithoutThinPool() {
    IscsiPool thin =
        client.resource(pool("thin", "volumeGroup: {name: vg0, thinPool: pool0}")).create();
    IscsiPool linear = client.resource(pool("linear", "volumeGroup: {name: vg_data.1}")).create();

    assertThat(thin.getSpec().volumeGroup().thinPool()).isEqualTo("pool0");
    assertThat(linear.getSpec().directory()).isNull();
  }

  @Test
  void aNameLvmWouldRefuseIsRejected() {
    assertRejected(
        () -> client.resource(pool("bad-vg", "volumeGroup: {name: '-vg'}")).create(),
        "spec.volumeGroup.name");
    assertRejected(
        () ->
            client.resource(pool("bad-thin", "volumeGroup: {name: vg0, thinPool: 'a/b'}")).create(),
        "spec.volumeGroup.thinPool");
  }

  @Test
  void theKindTheGroupAndTheThinPoolCannotChange() {
    client.resource(pool("fixed", "volumeGroup: {name: vg0}")).create();

    assertRejected(
        () -> update(pool("fixed", "directory: {path: /var/lib/lunar/p}")),
        "the pool's kind is immutable");
    assertRejected(
        () -> update(pool("fixed", "volumeGroup: {name: vg1}")), "volumeGroup is immutable");
    assertRejected(
        () -> update(pool("fixed", "volumeGroup: {name: vg0, thinPool: pool0}")),
        "volumeGroup is immutable");
  }
}
