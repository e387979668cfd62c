package dev.lunar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.lunar.testing.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages depend downward only, as docs/architecture.md draws them: a class uses its
 * own package and lower tiers, never a peer or anything above, so no package cycle can form.
 */
class LayersTest {

  /** Lowest first. Why each package sits where it does: docs/architecture.md. */
  static final List<List<String>> TIERS =
      List.of(
          List.of("model", "storage", "logging", "iscsi.pdu", "tgtadm", "node.inventory"),
          List.of("scsi", "iscsi.login"),
          List.of("metrics", "target"),
          List.of("iscsi.session"),
          List.of("iscsi", "engine"),
          List.of("control"),
          List.of("daemon"),
          List.of("node"),
          List.of(""));

  private final Layers layers = Layers.of("dev.lunar.agent", TIERS);
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
