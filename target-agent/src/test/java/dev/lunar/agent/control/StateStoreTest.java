package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir Path dir;

  private static TargetSetSpec withTarget(int tid) {
    return TargetSetSpec.empty()
        .withTarget(TargetSpec.create(tid, "iqn.2026-11.dev.lunar:t" + tid));
  }

  @Test
  void nothingSavedLoadsEmpty() throws Exception {
    assertThat(StateStore.in(dir.resolve("state")).load()).isEmpty();
    assertThat(StateStore.none().load()).isEmpty();
  }

  @Test
  void savedSpecRoundTripsWithPasswordsInAFileOnlyRootReads() throws Exception {
    Path stateDir = dir.resolve("state");
    TargetSetSpec spec = ShowFormatterTest.capturedSpec();
    StateStore.in(stateDir).save(spec);
    assertThat(StateStore.in(stateDir).load()).contains(spec);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateDir.resolve("state.yaml"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
        .isEqualTo("rwx------");
    assertThat(Files.exists(stateDir.resolve("state.yaml.tmp"))).isFalse();
  }

  @Test
  void secondSaveKeepsThePreviousGoodCopy() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(2));
    assertThat(YamlConfig.load(dir.resolve("state.yaml.prev"))).isEqualTo(withTarget(1));
    assertThat(store.load()).contains(withTarget(2));
  }

  @Test
  void tornStateFileFallsBackToThePreviousCopy() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(2));
    Path current = dir.resolve("state.yaml");
    String text = Files.readString(current);
    Files.writeString(current, text.substring(0, text.length() / 2) + "\n  - {tid: [");
    assertThat(store.load()).contains(withTarget(1));
  }

  @Test
  void aTornFileIsNeverRotatedOverTheGoodPreviousCopy() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(2));
    Files.writeString(dir.resolve("state.yaml"), "targets: [");
    store.save(withTarget(3));
    assertThat(YamlConfig.load(dir.resolve("state.yaml.prev"))).isEqualTo(withTarget(1));
  }

  @Test
  void bothCopiesCorruptIsAClearErrorNamingTheFiles() throws Exception {
    Files.writeString(dir.resolve("state.yaml"), "targets: [");
    Files.writeString(dir.resolve("state.yaml.prev"), "nonsense: 1\n");
    assertThatThrownBy(() -> StateStore.in(dir).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("state.yaml:")
        .hasMessageContaining("state.yaml.prev: no checksum line");
  }

  @Test
  void missingCurrentWithAPreviousCopyUsesIt() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(2));
    Files.delete(dir.resolve("state.yaml"));
    assertThat(store.load()).contains(withTarget(1));
  }

  @Test
  void thePreviousCopyStaysReadableByRootOnly() throws Exception {
    StateStore store = StateStore.in(dir.resolve("state"));
    store.save(withTarget(1));
    store.save(withTarget(2));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("state/state.yaml.prev"))))
        .isEqualTo("rw-------");
    assertThat(Files.exists(dir.resolve("state/state.yaml.prev.tmp"))).isFalse();
  }

  @Test
  void aSaveLeavesTheNewFileInPlaceAndThePreviousOneIntact() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(2));
    store.save(withTarget(3));
    assertThat(YamlConfig.load(dir.resolve("state.yaml"))).isEqualTo(withTarget(3));
    assertThat(YamlConfig.load(dir.resolve("state.yaml.prev"))).isEqualTo(withTarget(2));
  }

  @Test
  void leftoversOfASaveCutShortAreIgnoredAndReplaced() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    Files.writeString(dir.resolve("state.yaml.tmp"), "targets: [ {tid: 9");
    Files.writeString(dir.resolve("state.yaml.prev.tmp"), "torn");
    assertThat(store.load()).contains(withTarget(1));
    store.save(withTarget(2));
    assertThat(store.load()).contains(withTarget(2));
    assertThat(YamlConfig.load(dir.resolve("state.yaml.prev"))).isEqualTo(withTarget(1));
    assertThat(Files.exists(dir.resolve("state.yaml.tmp"))).isFalse();
    assertThat(Files.exists(dir.resolve("state.yaml.prev.tmp"))).isFalse();
  }

  @Test
  void aStateFileCutShortIsDetectedEvenWhenWhatIsLeftIsValidYaml() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    store.save(withTarget(12));
    Path current = dir.resolve("state.yaml");
    String text = Files.readString(current);
    // Cut inside the IQN: "...:t12" becomes "...:t1", still a well-formed document.
    String cut = text.substring(0, text.indexOf(":t12") + 3) + "\n";
    assertThat(YamlConfig.parse(cut, "cut")).isNotEqualTo(withTarget(12));
    Files.writeString(current, cut);
    assertThat(store.load()).contains(withTarget(1));
  }

  @Test
  void aHandEditedStateFileIsRefusedWithAMessageThatSaysWhy() throws Exception {
    StateStore store = StateStore.in(dir);
    store.save(withTarget(1));
    Path current = dir.resolve("state.yaml");
    Files.writeString(current, Files.readString(current).replace(":t1", ":t7"));
    assertThatThrownBy(store::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("state.yaml: checksum mismatch")
        .hasMessageContaining("--config");
  }

  @Test
  void theStateFileStaysPlainYamlUsableAsAConfigFile() throws Exception {
    StateStore.in(dir).save(withTarget(3));
    String text = Files.readString(dir.resolve("state.yaml"));
    assertThat(text.lines().toList().getLast()).startsWith(SealedFile.CHECKSUM_PREFIX);
    assertThat(YamlConfig.load(dir.resolve("state.yaml"))).isEqualTo(withTarget(3));
  }
}
