package dev.lunar.crds.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generates the CRDs from the model ({@link CrdGeneration}) into {@code target/generated-crds}. The
 * CRDs committed at {@code crds/*.yaml} (what {@code kubectl apply -f crds/} and the Helm chart
 * use) must be exactly what the build generates from the model. Run with {@code -Dcrds.update=true}
 * to rewrite them instead.
 */
class CommittedCrdsTest {

  private static final String REFRESH =
      "the committed CRDs are stale; refresh them with"
          + " ./mvnw -B -pl crds -am verify -Dcrds.update=true and commit crds/*.yaml";

  /** The generator names files {@code <plural>.<group>-v1.yml}; the repository drops the suffix. */
  private static final String GENERATED_SUFFIX = "-v1.yml";

  private final Path generatedDir = Path.of(System.getProperty("crds.generated.dir"));
  private final Path committedDir = Path.of(System.getProperty("crds.committed.dir"));
  private final boolean update = Boolean.getBoolean("crds.update");

  @BeforeEach
  void generate() throws IOException {
    Files.createDirectories(generatedDir);
    CrdGeneration.generateInto(generatedDir);
  }

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    List<Path> generated = files(generatedDir, GENERATED_SUFFIX);
    assertThat(generated).as("CRDs generated into %s", generatedDir).hasSize(4);
    for (Path source : generated) {
      Path committed = committedDir.resolve(committedName(source));
      String expected = Files.readString(source);
      if (update) {
        Files.writeString(committed, expected);
        continue;
      }
      assertThat(committed).as(REFRESH).exists();
      assertThat(Files.readString(committed)).as(committed + ": " + REFRESH).isEqualTo(expected);
    }
  }

  @Test
  void everyCommittedCrdHasAModelClass() throws IOException {
    List<String> generatedNames =
        files(generatedDir, GENERATED_SUFFIX).stream()
            .map(CommittedCrdsTest::committedName)
            .toList();
    List<String> committedNames =
        files(committedDir, ".yaml").stream().map(p -> p.getFileName().toString()).toList();
    if (!update) {
      assertThat(committedNames).as(REFRESH).containsExactlyInAnyOrderElementsOf(generatedNames);
    }
  }

  private static String committedName(Path generated) {
    String name = generated.getFileName().toString();
    return name.substring(0, name.length() - GENERATED_SUFFIX.length()) + ".yaml";
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }
}
