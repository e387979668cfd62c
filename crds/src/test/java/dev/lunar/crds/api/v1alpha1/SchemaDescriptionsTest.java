package dev.lunar.crds.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every field of every committed CRD has a description, so {@code kubectl explain} answers for each
 * one: spec, status and the fields of conditions included.
 */
class SchemaDescriptionsTest {

  private final Path committedDir = Path.of(System.getProperty("crds.committed.dir"));

  @Test
  void everyFieldOfEveryCrdHasADescription() throws IOException {
    List<String> undescribed = new ArrayList<>();
    try (Stream<Path> files = Files.list(committedDir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        CustomResourceDefinition crd =
            Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
        for (var version : crd.getSpec().getVersions()) {
          JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
          root.getProperties()
              .forEach(
                  (name, props) -> {
                    if (name.equals("spec") || name.equals("status")) {
                      collect(crd.getSpec().getNames().getKind() + "." + name, props, undescribed);
                    }
                  });
        }
      }
    }
    assertThat(undescribed).isEmpty();
  }

  private static void collect(String path, JSONSchemaProps props, List<String> undescribed) {
    if (props.getDescription() == null || props.getDescription().isBlank()) {
      undescribed.add(path);
    }
    if (props.getProperties() != null) {
      props.getProperties().forEach((name, p) -> collect(path + "." + name, p, undescribed));
    }
    if (props.getItems() != null && props.getItems().getSchema() != null) {
      JSONSchemaProps item = props.getItems().getSchema();
      if (item.getProperties() != null) {
        item.getProperties().forEach((name, p) -> collect(path + "[]." + name, p, undescribed));
      }
    }
    if (props.getAdditionalProperties() != null
        && props.getAdditionalProperties().getSchema() != null
        && props.getAdditionalProperties().getSchema().getProperties() != null) {
      props
          .getAdditionalProperties()
          .getSchema()
          .getProperties()
          .forEach((name, p) -> collect(path + "{}." + name, p, undescribed));
    }
  }
}
