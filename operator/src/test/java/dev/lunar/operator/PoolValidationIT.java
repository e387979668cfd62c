package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IscsiPool schema's rules on the real kube-apiserver: exactly one kind of three, a kind that
 * never changes, LVM names LVM would take, and disk selections by /dev/disk/by-id patterns only.
 */
class PoolValidationIT {

  private static final String ONE_KIND =
      "set exactly one of directory (a path on the node), volumeGroup (an LVM volume group) or"
          + " disks (whole disks)";

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

  private static void assertCreateRejected(IscsiPool pool, String message) {
    assertRejected(() -> client.resource(pool).create(), message);
  }

  @Test
  void aPoolOfTwoKindsOrOfNoneIsRejected() {
    assertCreateRejected(
        pool("dir-vg", "directory: {path: /var/lib/lunar/p}, volumeGroup: {name: vg0}"), ONE_KIND);
    assertCreateRejected(
        pool("dir-disks", "directory: {path: /var/lib/lunar/p}, disks: {}"), ONE_KIND);
    assertCreateRejected(pool("vg-disks", "volumeGroup: {name: vg0}, disks: {}"), ONE_KIND);
    assertCreateRejected(
        pool(
            "all-three",
            "directory: {path: /var/lib/lunar/p}, volumeGroup: {name: vg0}, disks: {}"),
        ONE_KIND);
    assertCreateRejected(pool("none", ""), ONE_KIND);
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
    assertCreateRejected(pool("bad-vg", "volumeGroup: {name: '-vg'}"), "spec.volumeGroup.name");
    assertCreateRejected(
        pool("bad-thin", "volumeGroup: {name: vg0, thinPool: 'a/b'}"), "spec.volumeGroup.thinPool");
  }

  @Test
  void aPoolOfDisksIsAcceptedWithOrWithoutASelection() {
    IscsiPool all = client.resource(pool("all-disks", "disks: {}")).create();
    IscsiPool some =
        client
            .resource(
                pool(
                    "nvme",
                    "disks: {byIdPatterns: ['/dev/disk/by-id/nvme-*'], minSize: 100Gi,"
                        + " rotational: false}"))
            .create();

    assertThat(all.getSpec().disks()).isNotNull();
    assertThat(some.getSpec().disks().byIdPatterns()).containsExactly("/dev/disk/by-id/nvme-*");
  }

  @Test
  void aPatternOutsideByIdIsRejected() {
    assertCreateRejected(
        pool("by-path", "disks: {byIdPatterns: ['/dev/sd*']}"),
        "every pattern must start with /dev/disk/by-id/");
  }

  @Test
  void theExamplePoolsAreValid() throws IOException {
    for (String example : new String[] {"pool-lvm.yaml", "pool-disks.yaml"}) {
      IscsiPool pool =
          Serialization.unmarshal(
              Files.readString(Path.of("../deploy/examples/csi", example)), IscsiPool.class);

      IscsiPool created = client.resource(pool).create();

      assertThat(created.getSpec()).as(example).isEqualTo(pool.getSpec());
    }
  }

  @Test
  void noKindBecomesAnother() {
    client.resource(pool("dir", "directory: {path: /var/lib/lunar/f}")).create();
    client.resource(pool("vg", "volumeGroup: {name: vg0}")).create();
    client.resource(pool("disks", "disks: {}")).create();
    String immutable = "the pool's kind is immutable";

    assertRejected(() -> update(pool("dir", "volumeGroup: {name: vg0}")), immutable);
    assertRejected(() -> update(pool("dir", "disks: {}")), immutable);
    assertRejected(() -> update(pool("vg", "directory: {path: /var/lib/lunar/p}")), immutable);
    assertRejected(() -> update(pool("vg", "disks: {}")), immutable);
    assertRejected(() -> update(pool("disks", "directory: {path: /var/lib/lunar/p}")), immutable);
    assertRejected(() -> update(pool("disks", "volumeGroup: {name: vg0}")), immutable);
  }

  @Test
  void theGroupAndTheThinPoolCannotChange() {
    client.resource(pool("fixed", "volumeGroup: {name: vg0}")).create();

    assertRejected(
        () -> update(pool("fixed", "volumeGroup: {name: vg1}")), "volumeGroup is immutable");
    assertRejected(
        () -> update(pool("fixed", "volumeGroup: {name: vg0, thinPool: pool0}")),
        "volumeGroup is immutable");
  }

  @Test
  void theSelectionOfADiskPoolMayChange() {
    client.resource(pool("widened", "disks: {minSize: 1Ti}")).create();

    IscsiPool edited = update(pool("widened", "disks: {}"));

    assertThat(edited.getSpec().disks().minSize()).isNull();
  }
}
