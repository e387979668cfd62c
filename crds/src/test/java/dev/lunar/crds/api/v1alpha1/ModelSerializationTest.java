package dev.lunar.crds.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSerializationTest {

  @Test
  void aLunManifestReadsIntoTheModel() {
    String yaml =
        """
        apiVersion: iscsi.lunar.dev/v1alpha1
        kind: IscsiLun
        metadata: {name: data, namespace: storage}
        spec:
          target: array1
          lun: 1
          backing:
            file: {path: /var/lib/lunar/data.img, size: 10Gi, thin: true}
        """;

    IscsiLun lun = Serialization.unmarshal(yaml, IscsiLun.class);

    assertThat(lun.getSpec().target()).isEqualTo("array1");
    assertThat(lun.getSpec().lun()).isEqualTo(1);
    assertThat(lun.getSpec().backing().device()).isNull();
    assertThat(lun.getSpec().backing().file().size()).isEqualTo(new Quantity("10Gi"));
  }

  @Test
  void absentFieldsAreLeftOutRatherThanWrittenAsNull() {
    IscsiTarget target = new IscsiTarget();
    target.setSpec(new IscsiTargetSpec("node-a", null, null, null, null, null));
    target.setStatus(
        new IscsiTargetStatus(
            List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()),
            3L,
            null,
            null,
            null,
            null,
            null,
            null,
            null));

    String json = Serialization.asJson(target);

    assertThat(json).contains("\"node\":\"node-a\"").doesNotContain("null");
  }
}
