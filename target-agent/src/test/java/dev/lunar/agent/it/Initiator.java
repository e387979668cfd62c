package dev.lunar.agent.it;

import dev.lunar.testing.Commands;
import dev.lunar.testing.ProcessResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** libiscsi's command-line initiators and qemu-img, as real peers of the target. */
final class Initiator {

  static final Duration LIMIT = Duration.ofSeconds(60);

  private Initiator() {}

  static ProcessResult ls(String... args) {
    return run("iscsi-ls", args);
  }

  static ProcessResult inq(String... args) {
    return run("iscsi-inq", args);
  }

  static ProcessResult readCapacity16(String... args) {
    return run("iscsi-readcapacity16", args);
  }

  static ProcessResult qemuImg(String... args) {
    return run("qemu-img", args);
  }

  static ProcessResult testCu(Duration limit, String... args) {
    List<String> command = new ArrayList<>(List.of("iscsi-test-cu"));
    command.addAll(List.of(args));
    return Commands.capture(limit, command);
  }

  private static ProcessResult run(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    return Commands.capture(LIMIT, command);
  }

  /** The URL of a LUN, optionally with CHAP credentials and query options. */
  static String url(String portal, String iqn, int lun, String credentials, String query) {
    String auth = credentials == null ? "" : credentials + "@";
    String q = query == null ? "" : "?" + query;
    return "iscsi://" + auth + portal + "/" + iqn + "/" + lun + q;
  }
}
