package dev.lunar.agent.node;

import dev.lunar.csi.node.Command;
import dev.lunar.csi.node.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LVM's tools as recorded: {@code vgs} and {@code lvs} answer the JSON that lvm2 2.03.16 printed
 * for a real volume group (test resources {@code lvm/*.json}, recorded on a host without
 * device-mapper, so LVs show states unknown: {@code lv_attr} {@code X}, {@code lv_device_open} -1,
 * {@code data_percent} empty; a test that needs another state edits the text, visibly). Every other
 * tool succeeds silently unless told otherwise, and every call is kept.
 */
final class RecordedLvm implements CommandRunner {

  final List<List<String>> calls = new ArrayList<>();
  private final Map<String, Result> answers = new HashMap<>();

  RecordedLvm() {
    answers.put("vgs", ok(fixture("vgs.json")));
    answers.put("lvs", ok(fixture("lvs.json")));
  }

  /** The recorded output of {@code lvm/<name>}. */
  static String fixture(String name) {
    try (InputStream in = RecordedLvm.class.getResourceAsStream("/lvm/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Result ok(String stdout) {
    return new Result(0, stdout, "");
  }

  RecordedLvm answer(String program, Result result) {
    answers.put(program, result);
    return this;
  }

  /** {@code lvs} answers the recorded volumes with {@code from} replaced by {@code to}. */
  RecordedLvm volumesWith(String from, String to) {
    String recorded = answers.get("lvs").stdout();
    if (!recorded.contains(from)) {
      throw new IllegalArgumentException("the recording has no " + from);
    }
    return answer("lvs", ok(recorded.replace(from, to)));
  }

  /** The calls of one tool, each as its arguments after {@code --config <text>}. */
  List<List<String>> callsOf(String program) {
    return calls.stream()
        .filter(c -> c.getFirst().equals(program))
        .map(c -> c.subList(3, c.size()))
        .toList();
  }

  @Override
  public Result run(Command command, Duration timeout) {
    calls.add(command.argv());
    return answers.getOrDefault(command.program(), ok(""));
  }
}
