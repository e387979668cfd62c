package dev.lunar.crds.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs fabric8's CRD generator (API v2) over the model. One step beyond the Maven plugin: printer
 * columns come out in the order the class declares them (the generator sorts them by JSON path,
 * which would put Age first), because kubectl shows them in that order.
 */
final class CrdGeneration {

  static final List<Class<? extends CustomResource<?, ?>>> RESOURCES =
      List.of(IscsiTarget.class, IscsiLun.class, IscsiNode.class);

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
