package dev.lunar.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.lunar.testing.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend downward only, as docs/architecture.md draws them: the pure
 * planner at the bottom, the cluster view on it, the reconcilers on both, the process on top.
 */
class LayersTest {

  /** Lowest first; the CRD model (dev.lunar.crds) is a module below them all. */
  static final List<List<String>> TIERS =
      List.of(List.of("plan"), List.of("view"), List.of("reconcile"), List.of(""));

  private final Layers layers = Layers.of("dev.lunar.operator", TIERS);
  private final JavaClasses classes = layers.importMainClasses();

  @Test
  void everyPackageHasItsPlace() {
    assertThat(classes).isNotEmpty();
    assertThat(layers.unplaced(classes)).isEmpty();
  }

  @Test
  void noPackageUsesAPeerOrAPackageAboveIt() {
    assertThat(layers.upwardDependencies(classes)).isEmpty();
  }

  @Test
  void noPackagesFormACycle() {
    layers.assertNoCycles(classes);
  }
}
