package dev.lunar.agent.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the JSON of {@code vgs}/{@code lvs --reportformat json --units b --nosuffix --binary}:
 * {@code {"report": [{"vg": [{"vg_name": "...", ...}]}]}}, every value a string, sizes in bytes, an
 * unknown value empty (or -1 for a binary one).
 */
final class LvmReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LvmReport() {}

  static List<VolumeGroup> volumeGroups(String json) throws IOException {
    List<VolumeGroup> groups = new ArrayList<>();
    for (JsonNode row : rows(json, "vg")) {
      groups.add(
          new VolumeGroup(
              text(row, "vg_name"),
              bytes(row, "vg_size"),
              bytes(row, "vg_free"),
              bytes(row, "vg_extent_size")));
    }
    return groups;
  }

  static List<LogicalVolume> logicalVolumes(String json) throws IOException {
    List<LogicalVolume> volumes = new ArrayList<>();
    for (JsonNode row : rows(json, "lv")) {
      String percent = text(row, "data_percent");
      volumes.add(
          new LogicalVolume(
              text(row, "lv_name"),
              text(row, "lv_path"),
              bytes(row, "lv_size"),
              tags(text(row, "lv_tags")),
              text(row, "lv_attr"),
              flag(row, "lv_device_open"),
              text(row, "segtype"),
              text(row, "pool_lv"),
              flag(row, "zero"),
              percent.isEmpty() ? null : Double.valueOf(percent)));
    }
    return volumes;
  }

  private static List<JsonNode> rows(String json, String kind) throws IOException {
    JsonNode report;
    try {
      report = JSON.readTree(json).path("report");
    } catch (IOException e) {
      throw new IOException("unreadable LVM report: " + e.getMessage());
    }
    if (!report.isArray()) {
      throw new IOException("LVM report without a report array");
    }
    List<JsonNode> rows = new ArrayList<>();
    report.forEach(part -> part.path(kind).forEach(rows::add));
    return rows;
  }

  private static String text(JsonNode row, String field) {
    return row.path(field).asText("");
  }

  private static long bytes(JsonNode row, String field) throws IOException {
    String value = text(row, field);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("LVM report field " + field + " is no byte count: '" + value + "'");
    }
  }

  private static int flag(JsonNode row, String field) {
    String value = text(row, field);
    return switch (value) {
      case "1" -> 1;
      case "0" -> 0;
      default -> -1;
    };
  }

  private static Set<String> tags(String list) {
    return list.isEmpty()
        ? Set.of()
        : Arrays.stream(list.split(",")).map(String::strip).collect(Collectors.toSet());
  }
}
