package dev.lunar.crds.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs fabric8's CRD generator (API v2) over the model. Two steps beyond the Maven plugin: printer
 * columns come out in the order the class declares them (the generator sorts them by JSON path,
 * which would put Age first), because kubectl shows them in that order; and the fields of status
 * conditions get descriptions, which fabric8's {@code Condition} class (outside the model, so
 * without annotations to carry them) cannot give.
 */
final class CrdGeneration {

  static final List<Class<? extends CustomResource<?, ?>>> RESOURCES =
      List.of(IscsiTarget.class, IscsiLun.class, IscsiNode.class, IscsiPool.class);

  private CrdGeneration() {}

  /** Writes {@code <plural>.<group>-v1.yml} for every resource into {@code dir}. */
  static void generateInto(Path dir) {
    Map<String, Class<?>> byKind =
        RESOURCES.stream().collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    CRDPostProcessor declaredColumnOrder =
        new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition v1 = (CustomResourceDefinition) crd;
            Class<?> model = byKind.get(v1.getSpec().getNames().getKind());
            v1.getSpec().getVersions().forEach(version -> orderColumns(version, model));
            v1.getSpec()
                .getVersions()
                .forEach(version -> describeConditions(version.getSchema().getOpenAPIV3Schema()));
            return crd;
          }
        };
    new CRDGenerator()
        .customResourceClasses(RESOURCES.toArray(Class[]::new))
        .forCRDVersions("v1")
        .withPostProcessor(declaredColumnOrder)
        .inOutputDir(dir.toFile())
        .generate();
  }

  /**
   * The fields of a Kubernetes condition (metav1.Condition), described as the API documents them.
   */
  static final Map<String, String> CONDITION_FIELDS =
      Map.of(
          "type",
          "Kind of condition, in CamelCase, such as Ready or Scheduled.",
          "status",
          "True, False or Unknown.",
          "reason",
          "Why the condition is in its status, as one CamelCase word for programs, such as"
              + " Serving or DeviceInUse.",
          "message",
          "The reason in words for humans; may be empty.",
          "lastTransitionTime",
          "When the status last changed from one of True, False, Unknown to another"
              + " (RFC 3339).",
          "observedGeneration",
          "The metadata.generation of the object the condition was set from; when it is older"
              + " than the object's, the condition is out of date.");

  /** Describes the items of every {@code conditions} array in the schema, at any depth. */
  static void describeConditions(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                if (name.equals("conditions") && property.getItems() != null) {
                  JSONSchemaProps item = property.getItems().getSchema();
                  item.getProperties()
                      .forEach(
                          (field, props) -> {
                            if (props.getDescription() == null) {
                              props.setDescription(CONDITION_FIELDS.get(field));
                            }
                          });
                }
                describeConditions(property);
              });
    }
    if (schema.getItems() != null) {
      describeConditions(schema.getItems().getSchema());
    }
  }

  private static void orderColumns(CustomResourceDefinitionVersion version, Class<?> model) {
    List<String> declared =
        Arrays.stream(model.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    version
        .getAdditionalPrinterColumns()
        .sort(
            Comparator.comparingInt(
                (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
  }
}
