package dev.lunar.agent.tgtadm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the real tgtadm (tgt 1.0.85, when installed) and this one side by side with no daemon on the
 * control port: both must print the same bytes and exit with the same status, whether the command
 * line is refused locally or would have been sent (then both report the missing daemon).
 */
class TgtadmParityTest {

  /** A control port no test daemon uses, for either implementation. */
  private static final String PORT = "-C 4711 ";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--lld iscsi --mode target --op show",
        "--lld iscsi --mode target --op new --tid 1 -T iqn.2001-04.com.example:t1",
        "--mode target --op new --tid 0 -T x",
        "--mode target --op new --tid -1 -T x",
        "--mode target --op new --tid abc -T x",
        "--mode target --op new --tid 99999999999 -T x",
        "--mode target --op new --tid 0x10 --targ x",
        "--mode target --op new --tid 3",
        "--mode target --op new -T x",
        "--mode target --op new --tid 1 -T x -b /x",
        "--mode target --op delete --tid 0",
        "--mode target --op delete --tid 1 --force",
        "--mode target --op delete --tid 1 --force=1",
        "--mode target --op delete --tid 1 -F",
        "--mode target --op show --tid 1 -l 1",
        "--mode target --op show extra",
        "--mode target --op show --bogus",
        "--mode target --op show -z",
        "--mode target --op show --tid",
        "--mode target --op bind --tid 1",
        "--mode target --op unbind --tid 1",
        "--mode target --op bind --tid 1 -I ALL -u x",
        "--mode target --op update --tid 1 --params a=b",
        "--mode target --op update --tid 1 --name a",
        "--mode target --op new --tid 1 --in x",
        "--mode target --op bogus",
        "--mode bogus --op show",
        "--op show",
        "--mode target",
        "--lld iscsi",
        "--mode account --op new --user bob",
        "--mode account --op new --password x",
        "--mode account --op new --user z --password p --tid 1",
        "--mode account --op show --tid 1",
        "--mode account --op delete --password x --user y",
        "--mode account --op bind --tid 1",
        "--mode account --op bind --tid 1 --user c -O",
        "--mode account --op bind --tid 1 --user z -l 1",
        "--mode account --op update --user z",
        "--mode account --op bind --tid 1 --user bob --outgoing",
        "--mode logicalunit --op new --tid 1 -b /x",
        "--mode logicalunit --op new --lun 2 -b /x",
        "--mode logicalunit --op new --tid 0 --lun 1 -b x",
        "--mode logicalunit --op new --tid 1 --lun 20 -b /x -T foo",
        "--mode logicalunit --op new --tid 1 --lun 1 -b x -P a=b",
        "--mode logicalunit --op new --tid 1 --lun 1 -Y bogus",
        "--mode logicalunit --op new --tid 1 --lun 1 -b /x --bsoflags direct -E rdwr -y 4096",
        "--mode logicalunit --op update --tid 1 --lun 1 -b /x",
        "--mode logicalunit --op delete --tid 1 --lun 1 -b /x",
        "--mode logicalunit --op show --tid 1 --lun 1",
        "--mode lu --op delete --tid 1 --lun 8",
        "--mode system --op new",
        "--mode system --op bind",
        "--mode system --op update",
        "--mode sys --op show -t 1",
        "--mode conn --op show --tid 1 --sid abc",
        "--mode conn --op delete --tid 1 --sid -1",
        "--mode conn --op delete --tid 1 --sid 1 --cid 0",
        "-V",
        "-C 32768 --mode target --op show",
        "-C 32767 --mode target --op show",
      })
  void sameBytesAndStatusAsTheRealTgtadm(String line, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(TgtadmRuns.REAL_TGTADM), "tgt's tgtadm is not installed");
    List<String> args = List.of((PORT + line).split(" "));
    assertThat(TgtadmRuns.ours(args, dir)).isEqualTo(TgtadmRuns.real(args));
  }
}
