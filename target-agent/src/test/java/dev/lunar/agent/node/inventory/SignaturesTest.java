package dev.lunar.agent.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  private static ByteBuffer blank() {
    return ByteBuffer.allocate(Signatures.PROBE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer withAscii(int offset, String magic) {
    ByteBuffer b = blank();
    b.put(offset, magic.getBytes(StandardCharsets.ISO_8859_1));
    return b;
  }

  @Test
  void blankDeviceHasNoSignature() {
    assertThat(Signatures.recognise(blank())).isNull();
  }

  @Test
  void recognisesCommonFormats() {
    assertThat(Signatures.recognise(withAscii(512, "EFI PART"))).isEqualTo("gpt");
    assertThat(Signatures.recognise(withAscii(0, "XFSB"))).isEqualTo("xfs");
    assertThat(Signatures.recognise(withAscii(65600, "_BHRfS_M"))).isEqualTo("btrfs");
    assertThat(Signatures.recognise(withAscii(512, "LABELONE"))).isEqualTo("LVM2_member");
    assertThat(Signatures.recognise(withAscii(4086, "SWAPSPACE2"))).isEqualTo("swap");
    ByteBuffer mbr = blank();
    mbr.putShort(510, (short) 0xAA55);
    assertThat(Signatures.recognise(mbr)).isEqualTo("dos");
    ByteBuffer raid = blank();
    raid.putInt(4096, 0xa92b4efc);
    assertThat(Signatures.recognise(raid)).isEqualTo("linux_raid_member");
  }

  @Test
  void aShortDeviceIsProbedWithoutFailing() {
    assertThat(Signatures.recognise(ByteBuffer.allocate(100))).isNull();
  }
}
