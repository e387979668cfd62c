package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiPool;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IscsiPool schema's CEL rules on the real kube-apiserver: exactly one kind, a kind that never
 * changes, and disk selections by /dev/disk/by-id patterns only.
 */
class PoolSchemaIT {

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

  private static IscsiPool pool(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiPool
        metadata: {name: %s}
        spec: %s
        """
            .formatted(name, spec),
        IscsiPool.class);
  }

  private static void assertRejected(IscsiPool pool, String message) {
    assertThatThrownBy(() -> client.resource(pool).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .message()
        .contains(message);
  }

  @Test
  void aPoolOfDisksIsAcceptedWithOrWithoutASelection() {
    IscsiPool all = client.resource(pool("all-disks", "{node: worker-1, disks: {}}")).create();
    IscsiPool some =
        client
            .resource(
                pool(
                    "nvme",
                    "{node: worker-1, disks: {byIdPatterns: ['/dev/disk/by-id/nvme-*'],"
                        + " minSize: 100Gi, rotational: false}}"))
            .create();

    assertThat(all.getSpec().disks()).isNotNull();
    assertThat(some.getSpec().disks().byIdPatterns()).containsExactly("/dev/disk/by-id/nvme-*");
  }

  @Test
  void theDiskPoolExampleIsValid() throws java.io.IOException {
    IscsiPool example =
        Serialization.unmarshal(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("../deploy/examples/csi/disk-pool.yaml")),
            IscsiPool.class);

    IscsiPool created = client.resource(example).create();

    assertThat(created.getSpec().disks().byIdPatterns()).isNotEmpty();
  }

  @Test
  void aPoolNeedsExactlyOneKind() {
    String message = "set exactly one of directory (a directory of volume files) or disks";
    assertRejected(pool("none", "{node: worker-1}"), message);
    assertRejected(
        pool("both", "{node: worker-1, directory: {path: /var/lib/lunar/p}, disks: {}}"), message);
  }

  @Test
  void theKindOfAPoolNeverChanges() {
    client
        .resource(pool("fixed", "{node: worker-1, directory: {path: /var/lib/lunar/f}}"))
        .create();

    assertThatThrownBy(
            () ->
                client
                    .resources(IscsiPool.class)
                    .withName("fixed")
                    .edit(
                        p -> {
                          p.setSpec(pool("fixed", "{node: worker-1, disks: {}}").getSpec());
                          return p;
                        }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("the kind of a pool is immutable");
  }

  @Test
  void theSelectionOfADiskPoolMayChange() {
    client.resource(pool("widened", "{node: worker-1, disks: {minSize: 1Ti}}")).create();

    IscsiPool edited =
        client
            .resources(IscsiPool.class)
            .withName("widened")
            .edit(
                p -> {
                  p.setSpec(pool("widened", "{node: worker-1, disks: {}}").getSpec());
                  return p;
                });

    assertThat(edited.getSpec().disks().minSize()).isNull();
  }

  @Test
  void aPatternOutsideByIdIsRejected() {
    assertRejected(
        pool("by-path", "{node: worker-1, disks: {byIdPatterns: ['/dev/sd*']}}"),
        "every pattern must start with /dev/disk/by-id/");
  }
}
