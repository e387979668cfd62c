package dev.lunar.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of a module's packages: every package sits in one tier, bottom first, and a
 * class may use classes of its own package and of packages in lower tiers only, never of a peer in
 * its tier or of anything above. That also rules out package cycles, which ArchUnit checks once
 * more on its own so that a failure names the cycle. Works on the compiled main classes (through
 * ArchUnit's class file importer), so it sees every use, not only imports.
 *
 * <p>A module's {@code LayersTest} extends this with its root package and tiers and inherits the
 * three tests.
 */
public abstract class Layers {

  private final String root;
  private final Map<String, Integer> tierOf = new HashMap<>();
  private JavaClasses classes;

  /**
   * @param root the module's root package, such as {@code dev.lunar.agent}
   * @param tiers package names relative to {@code root} ({@code ""} for the root itself), lowest
   *     tier first
   */
  protected Layers(String root, List<List<String>> tiers) {
    this.root = root;
    for (int tier = 0; tier < tiers.size(); tier++) {
      for (String name : tiers.get(tier)) {
        String pkg = name.isEmpty() ? root : root + "." + name;
        if (tierOf.put(pkg, tier) != null) {
          throw new IllegalArgumentException(pkg + " is in two tiers");
        }
      }
    }
  }

  @Test
  public void everyPackageHasItsPlace() {
    assertThat(mainClasses()).isNotEmpty();
    assertThat(unplaced(mainClasses())).isEmpty();
  }

  @Test
  public void noPackageUsesAPeerOrAPackageAboveIt() {
    assertThat(upwardDependencies(mainClasses())).isEmpty();
  }

  @Test
  public void noPackagesFormACycle() {
    assertNoCycles(mainClasses());
  }

  private JavaClasses mainClasses() {
    if (classes == null) {
      classes = importMainClasses();
    }
    return classes;
  }

  /** The main classes (no tests) under the root package, as compiled. */
  public JavaClasses importMainClasses() {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(root);
  }

  /** Packages under the root that no tier names: each new package must be given its place. */
  public List<String> unplaced(JavaClasses classes) {
    TreeSet<String> missing = new TreeSet<>();
    for (JavaClass c : classes) {
      if (!tierOf.containsKey(c.getPackageName())) {
        missing.add(c.getPackageName());
      }
    }
    return List.copyOf(missing);
  }

  /** Every use of a class in a peer or higher package, as "user -> used (tier n -> tier m)". */
  public List<String> upwardDependencies(JavaClasses classes) {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : classes) {
      Integer from = tierOf.get(c.getPackageName());
      if (from == null) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        Integer to = tierOf.get(target);
        if (to != null && !target.equals(c.getPackageName()) && to >= from) {
          violations.add(
              c.getName()
                  + " -> "
                  + d.getTargetClass().getName()
                  + " (tier "
                  + from
                  + " -> tier "
                  + to
                  + ")");
        }
      }
    }
    return violations.stream().distinct().sorted().toList();
  }

  /** Fails when packages under the root form a cycle, naming it. */
  public void assertNoCycles(JavaClasses classes) {
    SlicesRuleDefinition.slices().matching(root + ".(**)").should().beFreeOfCycles().check(classes);
  }
}
