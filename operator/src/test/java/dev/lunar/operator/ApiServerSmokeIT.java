package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.crds.api.v1alpha1.IscsiLun;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRDs on the real kube-apiserver: the server accepts them, rejects invalid objects
 * with a message a user can act on, and applies the schema defaults to valid ones.
 */
class ApiServerSmokeIT {

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

  @Test
  void theApiServerIsTheReleaseItsGoModulePins() {
    // ./lunar test runs this suite on two releases ($LUNAR_KUBE_MODULE): each run must really be
    // on the one it names.
    String version = client.getKubernetesVersion().getGitVersion();
    System.out.println("ApiServerSmokeIT on kube-apiserver " + version);
    assertThat(version).isEqualTo("v" + RealApiServer.kubernetesVersion());
  }

  @Test
  void aTargetWithAMalformedIqnIsRejected() {
    assertRejected(
        target("bad-iqn", "iqn: iqn.2025-13.Example.COM:disk"),
        "spec.iqn",
        "iqn must be an iSCSI name: iqn.YYYY-MM.reversed.domain[:identifier]");
  }

  @Test
  void aTargetWithAMalformedAclIsRejected() {
    assertRejected(
        target(
            "bad-acl",
            "initiators: {names: ['iqn.1993-08.org.debian:01:abc', client1], addresses: [10.0.0.0/33]}"),
        "every initiator name must be an iSCSI name",
        "every address must be a CIDR");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "fd00::/129",
        "'::::/64'",
        "'1:2:3/64'",
        "'10.0.0.0'",
        "'::ffff:10.0.0.0/104'"
      })
  void aMalformedCidrIsRejectedByCelIsCidr(String cidr) {
    // ::::/64 and 1:2:3/64 passed the regular expression that isCIDR replaced; isCIDR also refuses
    // IPv4-mapped IPv6 (::ffff:a.b.c.d), which is written as the IPv4 CIDR instead.
    assertRejected(
        target("bad-cidr", "initiators: {addresses: [" + cidr + "]}"),
        "every address must be a CIDR");
  }

  @Test
  void wellFormedIpv4AndIpv6CidrsAreAccepted() {
    IscsiTarget created =
        client
            .resource(
                target(
                    "good-cidrs",
                    "initiators: {addresses: [10.0.0.0/8, 192.0.2.7/32, 0.0.0.0/0, 'fd00::/64',"
                        + " '::1/128', '2001:db8::/32']}"))
            .create();

    assertThat(created.getSpec().initiators().addresses()).hasSize(6);
  }

  @Test
  void lunZeroIsRejectedBecauseItIsTheController() {
    assertRejected(
        lun("lun-zero", "lun: 0\n  backing: {device: /dev/disk/by-id/wwn-0x5000c500a1b2c3d4}"),
        "spec.lun",
        "greater than or equal to 1");
  }

  @Test
  void aLunWithTwoBackingsIsRejected() {
    assertRejected(
        lun(
            "two-backings",
            "lun: 1\n  backing: {device: /dev/sdb, file: {path: /srv/disk.img, size: 1Gi}}"),
        "spec.backing",
        "set exactly one of device (a block device path), file (a file path with a size) or pool");
  }

  @Test
  void aLunWithoutBackingIsRejected() {
    assertRejected(lun("no-backing", "lun: 2\n  backing: {}"), "set exactly one of device");
  }

  @Test
  void validObjectsAreAcceptedWithTheirDefaults() {
    IscsiTarget target =
        client
            .resource(
                target(
                    "array1",
                    "iqn: iqn.2025-01.dev.lunar:storage.array1\n"
                        + "  initiators: {names: ['iqn.1993-08.org.debian:01:abc'],"
                        + " addresses: [10.0.0.0/8, 'fd00::/64']}\n"
                        + "  chap: {secretName: array1-chap, mutualSecretName: array1-mutual}\n"
                        + "  negotiation: {maxBurstLength: 262144, firstBurstLength: 65536,"
                        + " headerDigest: CRC32C}"))
            .create();
    IscsiLun lun =
        client
            .resource(
                lun(
                    "array1-data",
                    "lun: 16383\n  backing: {file: {path: /srv/lunar/data.img, size: 10Gi,"
                        + " thin: true}}\n  persistentVolume: {storageClassName: iscsi}"))
            .create();

    assertThat(target.getSpec().port()).isEqualTo(3260);
    assertThat(lun.getSpec().blockSize()).isEqualTo(512);
    assertThat(lun.getSpec().readOnly()).isFalse();
    assertThat(lun.getSpec().persistentVolume().fsType()).isEqualTo("ext4");
  }

  @Test
  void kubectlGetIscsiListsTargetsAndLunsWithTheirColumns() {
    client.resource(target("listed", "port: 3261")).create();
    client
        .resource(lun("listed-disk", "lun: 7\n  backing: {device: /dev/disk/by-id/wwn-0x5000c5}"))
        .create();

    String table = apiServer.kubectl("get", "iscsi", "--namespace=default");

    assertThat(table)
        .contains("iscsitarget.iscsi.lunar.dev/listed")
        .contains("iscsilun.iscsi.lunar.dev/listed-disk")
        .containsPattern("NAME +NODE +IQN +PORTAL +LUNS +SESSIONS +READY +AGE")
        .containsPattern("NAME +TARGET +LUN +SIZE +NODE +READY +AGE");
    assertThat(apiServer.kubectl("get", "itgt,ilun", "--namespace=default")).contains("listed");
  }

  @Test
  void nodesAreClusterScoped() {
    IscsiNode node =
        Serialization.unmarshal(
            """
            apiVersion: iscsi.lunar.dev/v1alpha1
            kind: IscsiNode
            metadata: {name: worker-1}
            spec:
              credentialsSecret: {namespace: lunar-system, name: lunar-node-worker-1}
              targets:
              - tid: 1
                iqn: iqn.2025-01.dev.lunar:storage.array1
                luns: [{lun: 1, device: /dev/sdb}]
            """,
            IscsiNode.class);

    IscsiNode created = client.resource(node).create();

    assertThat(created.getMetadata().getNamespace()).isNull();
    assertThat(client.resources(IscsiNode.class).withName("worker-1").get()).isNotNull();
  }

  private static void assertRejected(HasMetadata resource, String... messageParts) {
    assertThatThrownBy(() -> client.resource(resource).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .message()
        .contains(messageParts);
  }

  private static IscsiTarget target(String name, String specLines) {
    return manifest(IscsiTarget.class, name, "node: worker-1\n  " + specLines);
  }

  private static IscsiLun lun(String name, String specLines) {
    return manifest(IscsiLun.class, name, "target: array1\n  " + specLines);
  }

  /** A namespaced Lunar resource from YAML; continuation lines of the spec indent by two. */
  private static <T extends HasMetadata> T manifest(Class<T> type, String name, String specLines) {
    return Serialization.unmarshal(
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: %s
        metadata: {name: %s, namespace: default}
        spec:
          %s
        """
            .formatted(type.getSimpleName(), name, specLines),
        type);
  }
}
