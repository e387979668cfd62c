package dev.lunar.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunar.crds.api.v1alpha1.IscsiNode;
import dev.lunar.crds.api.v1alpha1.IscsiNodeStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

  /**
   * Every status column of {@code kubectl get iscsinodes} shows something while the agent runs: the
   * agent is the status's only writer, so a column on a field it never fills stays empty.
   */
  @Test
  void theAgentFillsEveryStatusColumnOfItsNode() {
    IscsiNodeStatus status =
        StatusBuilder.build(
            "0.1.0", List.of("127.0.0.1:3260"), List.of(), null, List.of(), Map.of(), null);
    JsonNode written = Serialization.jsonMapper().valueToTree(status);

    List<String> statusColumns =
        Arrays.stream(IscsiNode.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .filter(path -> path.startsWith(".status."))
            .toList();

    assertThat(statusColumns).isNotEmpty();
    for (String path : statusColumns) {
      JsonNode value = written.at(path.substring(".status".length()).replace('.', '/'));
      assertThat(value.isMissingNode() || value.isNull()).as(path + " is empty").isFalse();
    }
  }
}
