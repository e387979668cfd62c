package dev.lunar.chart;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The objects of one chart render, with lookups by kind and name. */
record Rendered(List<K8sObject> objects) {

  static Rendered parse(String yaml) {
    return new Rendered(LunarChart.parseDocuments(yaml).stream().map(K8sObject::new).toList());
  }

  List<K8sObject> ofKind(String kind) {
    return objects.stream().filter(o -> o.kind().equals(kind)).toList();
  }

  Optional<K8sObject> find(String kind, String name) {
    return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
  }

  K8sObject get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new NoSuchElementException("render has no " + kind + " " + name));
  }

  /** The one object of a kind; fails when there are none or several. */
  K8sObject single(String kind) {
    List<K8sObject> found = ofKind(kind);
    if (found.size() != 1) {
      throw new NoSuchElementException("expected one " + kind + ", render has " + found.size());
    }
    return found.getFirst();
  }

  /** One rendered Kubernetes object as parsed YAML, with path lookups. */
  record K8sObject(Map<String, Object> raw) {

    String kind() {
      return String.valueOf(raw.get("kind"));
    }

    String name() {
      return String.valueOf(at("metadata.name"));
    }

    /**
     * The value at a dotted path; a segment such as {@code containers[0]} indexes a list. Returns
     * null when any step is missing.
     */
    Object at(String path) {
      Object current = raw;
      for (String segment : path.split("\\.")) {
        int bracket = segment.indexOf('[');
        String key = bracket < 0 ? segment : segment.substring(0, bracket);
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = map.get(key);
        if (bracket >= 0) {
          int index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
          if (!(current instanceof List<?> list) || index >= list.size()) {
            return null;
          }
          current = list.get(index);
        }
      }
      return current;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String path) {
      Object value = at(path);
      return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(String path) {
      Object value = at(path);
      return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    /** The container {@code name} of this workload's pod template; fails when it has none. */
    Map<String, Object> container(String name) {
      return list("spec.template.spec.containers").stream()
          .filter(c -> name.equals(c.get("name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError(name() + " has no container " + name));
    }
  }
}
