package dev.lunar.agent.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Typed reads from a snakeyaml node tree with errors that say the file, the line and what was
 * expected; the composed tree keeps the positions that a plain {@code Map} load would lose.
 */
final class YamlNodes {

  private final String source;

  YamlNodes(String source) {
    this.source = source;
  }

  ConfigException error(Node node, String message) {
    return new ConfigException(
        source + ": line " + (node.getStartMark().getLine() + 1) + ": " + message);
  }

  /** A mapping whose keys must all be in {@code allowed}. */
  Map<String, Node> mapping(Node node, String what, Set<String> allowed) throws ConfigException {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, what + " must be a mapping");
    }
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalar(tuple.getKeyNode(), "a key of " + what);
      if (!allowed.contains(key)) {
        throw error(
            tuple.getKeyNode(),
            "unknown key '" + key + "' in " + what + " (known: " + allowed + ")");
      }
      if (entries.put(key, tuple.getValueNode()) != null) {
        throw error(tuple.getKeyNode(), "duplicate key '" + key + "' in " + what);
      }
    }
    return entries;
  }

  /** A mapping of free-form keys to scalar values. */
  Map<String, String> stringMap(Node node, String what) throws ConfigException {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, what + " must be a mapping");
    }
    Map<String, String> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      entries.put(
          scalar(tuple.getKeyNode(), "a key of " + what), scalar(tuple.getValueNode(), what));
    }
    return entries;
  }

  List<Node> sequence(Node node, String what) throws ConfigException {
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, what + " must be a list");
    }
    return sequence.getValue();
  }

  List<String> strings(Node node, String what) throws ConfigException {
    List<String> values = new ArrayList<>();
    for (Node item : sequence(node, what)) {
      values.add(scalar(item, "an item of " + what));
    }
    return values;
  }

  String scalar(Node node, String what) throws ConfigException {
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, what + " must be a single value");
    }
    return scalar.getValue();
  }

  /** A scalar that may be YAML null ({@code ~}, {@code null} or empty). */
  String nullableScalar(Node node, String what) throws ConfigException {
    String value = scalar(node, what);
    return value.isEmpty() || value.equals("~") || value.equals("null") ? null : value;
  }

  long number(Node node, String what, long min, long max) throws ConfigException {
    String text = scalar(node, what);
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw error(node, what + " must be between " + min + " and " + max + ", not " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw error(node, what + " must be a whole number, not '" + text + "'");
    }
  }

  boolean bool(Node node, String what) throws ConfigException {
    return switch (scalar(node, what)) {
      case "true", "True", "TRUE", "yes", "on" -> true;
      case "false", "False", "FALSE", "no", "off" -> false;
      default -> throw error(node, what + " must be true or false");
    };
  }
}
