package dev.lunar.agent.tgtadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.tgtadm.TgtadmArgs.Exit;
import dev.lunar.agent.tgtadm.TgtadmArgs.Send;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every expected message and status here was observed from tgt 1.0.85's tgtadm. */
class TgtadmArgsTest {

  private static final String TRY = "Try `tgtadm --help' for more information.\n";

  private static TgtadmArgs.Outcome parse(String line) {
    return TgtadmArgs.parse(line.split(" "));
  }

  private static void refused(String line, int status, String stderr) {
    assertThat(parse(line)).isEqualTo(new Exit(status, "", stderr));
  }

  @Test
  void targetNewBecomesARequestWithLongNames() {
    Send send =
        (Send)
            parse("-C 17 --lld iscsi --mode target --op new --tid 1 -T iqn.2001-04.com.example:t1");
    assertThat(send.controlPort()).isEqualTo(17);
    assertThat(send.request().mode()).isEqualTo("target");
    assertThat(send.request().op()).isEqualTo("new");
    assertThat(send.request().options())
        .isEqualTo(Map.of("lld", "iscsi", "tid", "1", "targetname", "iqn.2001-04.com.example:t1"));
  }

  @Test
  void aliasesPrefixesAndAttachedValuesWorkAsInGetoptLong() {
    Send send = (Send) parse("--mode=lu --op new --tid=0x10 --lun 010 --back /d -y 4096");
    assertThat(send.request().mode()).isEqualTo("logicalunit");
    assertThat(send.request().options())
        .containsEntry("tid", "16")
        .containsEntry("lun", "8")
        .containsEntry("backing-store", "/d")
        .containsEntry("blocksize", "4096");
    Send outgoing = (Send) parse("--mode account --op bind --tid 1 --user bob --outgoing");
    assertThat(outgoing.request().options()).containsKey("outgoing");
  }

  @Test
  void missingModeOrOperation() {
    refused("--lld iscsi", 22, "tgtadm: specify the operation type\n");
    refused("--op show", 22, "tgtadm: specify the mode\n");
    refused("--mode target", 22, "tgtadm: specify the operation type\n");
    refused("--mode bogus --op show", 1, "tgtadm: unknown mode: bogus\n");
    refused("--mode target --op bogus", 1, "tgtadm: unknown operation: bogus\n");
  }

  @Test
  void getoptErrorsUseGlibcWording() {
    refused("--mode target --op show --bogus", 22, "tgtadm: unrecognized option '--bogus'\n" + TRY);
    refused("--mode target --op show extra", 22, "tgtadm: unrecognized option 'extra'\n" + TRY);
    refused("--mode target --op show -z", 22, "tgtadm: invalid option -- 'z'\n" + TRY);
    refused(
        "--mode target --op show --tid", 22, "tgtadm: option '--tid' requires an argument\n" + TRY);
    refused(
        "--mode account --op bind --tid 1 --user c -O",
        22,
        "tgtadm: option requires an argument -- 'O'\n" + TRY);
    refused(
        "--mode target --op delete --tid 1 --force=1",
        22,
        "tgtadm: option '--force' doesn't allow an argument\n" + TRY);
    refused(
        "--mode target --op new --tid 1 --in x",
        22,
        "tgtadm: option '--in' is ambiguous; possibilities: '--initiator-address'"
            + " '--initiator-name'\n"
            + TRY);
  }

  @Test
  void badNumbersAreInvalidOrOutOfRange() {
    refused("--mode target --op new --tid -1 -T x", 22, "-t argument value '-1' invalid\n" + TRY);
    refused("--mode target --op new --tid abc -T x", 22, "-t argument value 'abc' invalid\n" + TRY);
    refused(
        "--mode target --op new --tid 99999999999 -T x",
        22,
        "-t argument value '99999999999' out of range\n" + TRY);
    refused(
        "-C 70000 --mode target --op show", 22, "-C argument value '70000' out of range\n" + TRY);
    refused(
        "--mode conn --op show --tid 1 --sid abc", 22, "-s argument value 'abc' invalid\n" + TRY);
  }

  @Test
  void targetModeRules() {
    refused("--mode target --op new --tid 0 -T x", 22, "tgtadm: 'tid' cannot be 0\n");
    refused("--mode target --op new -T x", 22, "tgtadm: 'tid' option is necessary\n");
    refused(
        "--mode target --op new --tid 3",
        22,
        "tgtadm: creating new target requires a name, use --targetname\n");
    refused(
        "--mode target --op new --tid 5 -T x -b /x",
        22,
        "tgtadm: target mode: option '-b' is not allowed/supported\n");
    refused(
        "--mode target --op show --tid 1 -l 1",
        22,
        "tgtadm: target mode: option '-l' is not allowed/supported\n");
    refused(
        "--mode target --op bind --tid 1",
        22,
        "tgtadm: bind operation requires initiator-address, initiator-nameor bus\n");
    refused(
        "--mode target --op update --tid 1 --params a=b",
        22,
        "tgtadm: target mode: option '-P' is not allowed/supported\n");
    refused(
        "--mode target --op update --tid 1 --name a",
        22,
        "tgtadm: update operation requires 'name' and 'value' options\n");
  }

  @Test
  void accountAndLogicalUnitModeRules() {
    refused(
        "--mode account --op new --user bob",
        22,
        "tgtadm: 'user' and 'password' options are required\n");
    refused("--mode account --op bind --tid 1", 22, "tgtadm: 'user' option is necessary\n");
    refused(
        "--mode account --op new --user z --password p --tid 1",
        22,
        "tgtadm: account mode: option '-t' is not allowed/supported\n");
    refused(
        "--mode account --op update --user z",
        22,
        "tgtadm: operation update not supported in account mode\n");
    refused("--mode logicalunit --op new --tid 1 -b /x", 22, "tgtadm: 'lun' option is necessary\n");
    refused("--mode logicalunit --op new --lun 2 -b /x", 22, "tgtadm: 'tid' option is necessary\n");
    refused(
        "--mode logicalunit --op new --tid 0 --lun 1 -b x", 22, "tgtadm: 'tid' must not be 0\n");
    refused(
        "--mode logicalunit --op new --tid 1 --lun 20 -b /x -T foo",
        22,
        "tgtadm: logicalunit mode: option '-T' is not allowed/supported\n");
    refused(
        "--mode logicalunit --op update --tid 1 --lun 1 -b /x",
        22,
        "tgtadm: option '-b' not supported in logicalunit mode\n");
    refused(
        "--mode logicalunit --op show --tid 1 --lun 1",
        22,
        "tgtadm: operation show not supported in logicalunit mode\n");
    refused(
        "--mode logicalunit --op new --tid 1 --lun 1 -Y bogus",
        22,
        "tgtadm: unknown target type: bogus\n");
    refused("--mode system --op new", 22, "tgtadm: operation new not supported in system mode\n");
  }

  @Test
  void helpAndVersionExitZero() {
    Exit help = (Exit) parse("-o show -m target -h");
    assertThat(help.status()).isZero();
    assertThat(help.stdout()).contains("Usage: tgtadm [OPTION]");
    assertThat(parse("-V")).isEqualTo(new Exit(0, "1.0.85\n", ""));
  }
}
