package dev.lunar.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.tgtadm.ControlProtocol;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.io.IOException;

/**
 * The daemon's two configuration inputs: YAML config files ({@link YamlConfig#parse}) and tgtadm
 * request frames from the control socket ({@link ControlProtocol#decodeRequest}). Bad input must
 * end in the input's own checked exception; what parses must survive a round trip.
 */
class ControlInputFuzzTest {

  /** Every key the schema knows, so spliced inputs reach the checks behind each of them. */
  private static final String YAML_SEED =
      """
      accounts:
        - {user: alice, password: alice-secret-1}
        - {user: lunar, password: target-secret-1}
      targets:
        - {tid: 2, iqn: "iqn.2026-11.dev.lunar:b", initiatorNames: [iqn.x], incomingUsers: [alice],
           outgoingUser: lunar, luns: [{lun: 1, backingStore: /b, bsType: rdwr, sizeBytes: 0,
           blockSize: 4096, readOnly: true, thin: true, scsiId: id, scsiSerial: s, online: false,
           removable: true}]}
      """;

  @FuzzTest(maxDuration = "30s")
  void yamlConfigParsesOrFailsWithConfigException(FuzzedDataProvider input) {
    String text =
        input.consumeBoolean()
            ? YAML_SEED.substring(0, input.consumeInt(0, YAML_SEED.length()))
                + input.consumeRemainingAsString()
            : input.consumeRemainingAsString();
    TargetSetSpec spec;
    try {
      spec = YamlConfig.parse(text, "fuzz.yaml");
    } catch (ConfigException e) {
      assertThat(e.getMessage()).startsWith("fuzz.yaml");
      return;
    }
    String again = YamlConfig.toYaml(spec);
    try {
      assertThat(YamlConfig.parse(again, "again.yaml")).isEqualTo(spec);
    } catch (ConfigException e) {
      throw new AssertionError("written config does not parse back:\n" + again, e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void controlFramesDecodeOrFailWithIoException(byte[] frame) {
    TgtadmRequest request;
    try {
      request = ControlProtocol.decodeRequest(frame);
    } catch (IOException e) {
      return;
    }
    assertThat(request.toString()).isNotEmpty();
    request.number("tid");
    request.number("lun");
    TgtadmRequest again;
    try {
      again = ControlProtocol.decodeRequest(ControlProtocol.encodeRequest(request));
    } catch (IOException e) {
      throw new AssertionError("encoded request does not decode: " + request, e);
    }
    assertThat(again).isEqualTo(request);
  }
}
