package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lunar.agent.model.LunSpec;
import dev.lunar.agent.model.TargetSetSpec;
import org.junit.jupiter.api.Test;

class YamlConfigTest {

  private static final String EXAMPLE =
      """
      targets:
        - tid: 1
          iqn: iqn.2026-11.dev.lunar:demo
          initiatorAddresses: [ALL]
          incomingUsers: [alice]
          params: {MaxRecvDataSegmentLength: 65536}
          luns:
            - lun: 1
              backingStore: /var/lib/lunar/demo.img
            - lun: 2
              backingStore: /dev/sdb
              readOnly: true
              blockSize: 4096
              lbppbe: 1
      accounts:
        - user: alice
          password: secret
      """;

  @Test
  void readsTheDocumentedSchemaWithTgtDefaults() throws Exception {
    TargetSetSpec spec = YamlConfig.parse(EXAMPLE, "demo.yaml");
    var target = spec.target(1);
    assertThat(target.iqn()).isEqualTo("iqn.2026-11.dev.lunar:demo");
    assertThat(target.initiatorAddresses()).containsExactly("ALL");
    assertThat(target.params()).containsEntry("MaxRecvDataSegmentLength", "65536");
    assertThat(target.lunSpec(1)).isEqualTo(LunSpec.tgtDefault(1, 1, "/var/lib/lunar/demo.img"));
    assertThat(target.lunSpec(2).readOnly()).isTrue();
    assertThat(target.lunSpec(2).blockSize()).isEqualTo(4096);
    assertThat(target.lunSpec(2).lbppbe()).isEqualTo(1);
    assertThat(spec.account("alice").password()).isEqualTo("secret");
  }

  @Test
  void writtenYamlReadsBackToTheSameSpec() throws Exception {
    TargetSetSpec spec = ShowFormatterTest.capturedSpec();
    assertThat(YamlConfig.parse(YamlConfig.toYaml(spec), "x")).isEqualTo(spec);
  }

  @Test
  void emptyDocumentIsAnEmptySet() throws Exception {
    assertThat(YamlConfig.parse("", "x")).isEqualTo(TargetSetSpec.empty());
  }

  @Test
  void unknownKeyIsReportedWithItsLine() {
    assertThatThrownBy(
            () -> YamlConfig.parse("targets:\n  - tid: 1\n    iqn: a\n    lnus: []\n", "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("c.yaml: line 4: unknown key 'lnus' in a target");
  }

  @Test
  void wrongTypesAreReportedWithTheirLine() {
    assertThatThrownBy(() -> YamlConfig.parse("targets:\n  - tid: one\n    iqn: a\n", "c.yaml"))
        .hasMessage("c.yaml: line 2: tid must be a whole number, not 'one'");
    assertThatThrownBy(() -> YamlConfig.parse("targets: {tid: 1}\n", "c.yaml"))
        .hasMessage("c.yaml: line 1: targets must be a list");
    assertThatThrownBy(
            () ->
                YamlConfig.parse(
                    "targets:\n  - tid: 1\n    iqn: a\n    luns:\n      - {lun: 1, readOnly: maybe}\n",
                    "c.yaml"))
        .hasMessage("c.yaml: line 5: readOnly must be true or false");
    assertThatThrownBy(
            () ->
                YamlConfig.parse(
                    "targets:\n  - tid: 1\n    iqn: a\n    luns:\n      - {lun: 1, lbppbe: 16}\n",
                    "c.yaml"))
        .hasMessageStartingWith("c.yaml: line 5: lbppbe");
  }

  @Test
  void brokenReferencesAndRepeatsAreErrors() {
    assertThatThrownBy(
            () ->
                YamlConfig.parse(
                    "targets:\n  - {tid: 1, iqn: a, incomingUsers: [bob]}\n", "c.yaml"))
        .hasMessageContaining("binds user 'bob', not in accounts");
    assertThatThrownBy(
            () ->
                YamlConfig.parse(
                    "targets:\n  - {tid: 1, iqn: a}\n  - {tid: 1, iqn: b}\n", "c.yaml"))
        .hasMessageContaining("repeats a tid or an iqn");
    assertThatThrownBy(() -> YamlConfig.parse("targets:\n  - {tid: 0, iqn: a}\n", "c.yaml"))
        .hasMessageContaining("tid must be between 1");
  }

  @Test
  void syntaxErrorsNameTheFile() {
    assertThatThrownBy(() -> YamlConfig.parse("targets: [", "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("c.yaml: not valid YAML");
  }
}
