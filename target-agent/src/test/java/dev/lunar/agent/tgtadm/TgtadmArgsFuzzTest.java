package dev.lunar.agent.tgtadm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary tgtadm command lines, built from real option spellings and fuzzed values: parsing
 * either yields a request to send or an exit with a message, never an exception.
 */
class TgtadmArgsFuzzTest {

  private static final List<String> WORDS =
      List.of(
          "--lld",
          "iscsi",
          "--mode",
          "target",
          "logicalunit",
          "account",
          "sys",
          "conn",
          "session",
          "portal",
          "lld",
          "--op",
          "new",
          "delete",
          "show",
          "bind",
          "unbind",
          "update",
          "--tid",
          "-t",
          "--lun",
          "-l",
          "-T",
          "--targetname",
          "-b",
          "--backing-store",
          "-I",
          "--initiator-address",
          "-Q",
          "--initiator-name",
          "--user",
          "--password",
          "--outgoing",
          "--name",
          "--value",
          "-n",
          "-v",
          "--bstype",
          "--device-type",
          "--params",
          "--force",
          "-f",
          "-C",
          "--control-port",
          "--sid",
          "--cid",
          "-P",
          "--param",
          "ALL",
          "1",
          "0",
          "-1",
          "65536",
          "4294967296",
          "iqn.2026-11.dev.lunar:t",
          "--help",
          "-h",
          "--",
          "-",
          "=");

  @FuzzTest(maxDuration = "30s")
  void everyCommandLineParsesOrExitsWithAMessage(FuzzedDataProvider input) {
    int count = input.consumeInt(0, 24);
    List<String> args = new ArrayList<>();
    for (int i = 0; i < count && input.remainingBytes() > 0; i++) {
      args.add(input.consumeBoolean() ? input.pickValue(WORDS) : input.consumeString(40));
    }
    TgtadmArgs.Outcome outcome = TgtadmArgs.parse(args.toArray(String[]::new));
    switch (outcome) {
      case TgtadmArgs.Send send -> {
        assertThat(send.request().mode()).isNotBlank();
        assertThat(send.request().op()).isNotBlank();
      }
      case TgtadmArgs.Exit exit -> {
        if (exit.status() != 0) {
          assertThat(exit.stderr()).isNotEmpty();
        }
      }
    }
  }
}
