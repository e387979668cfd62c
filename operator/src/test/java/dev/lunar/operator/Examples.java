package dev.lunar.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of {@code deploy/examples/}, fitted to a test machine: the node is the test's
 * agent, the host disk is a loop device, the files live in a temporary directory, the portal port
 * is the agent's and the ACL admits the local initiator. Everything else (names, CHAP Secrets, LUN
 * numbers, the PersistentVolume request) is exactly what users apply.
 */
final class Examples {

  static final Path DIR = Path.of("../deploy/examples");
  static final String NAMESPACE = "lunar-demo";
  static final String IQN = "iqn.2026-11.dev.lunar:demo";
  static final String CHAP_USER = "demo-initiator";
  static final String CHAP_PASSWORD = "change-me-12345";
  static final String TARGET_USER = "lunar-target";
  static final String TARGET_PASSWORD = "change-me-too-67";
  static final String INITIATOR = "iqn.1993-08.org.debian:01:demo-client";

  private Examples() {}

  /** The examples as one multi-document YAML, with the local substitutions applied. */
  static String fitted(String node, String device, Path files, int port) {
    Map<String, String> substitutions =
        Map.of(
            "node: worker-1", "node: " + node,
            "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", device,
            "/var/lib/lunar/files/", files.toAbsolutePath() + "/",
            "port: 3260", "port: " + port,
            "10.0.0.0/8", "127.0.0.0/8");
    List<String> documents = new ArrayList<>();
    for (Path file : files()) {
      String yaml = read(file);
      for (var s : substitutions.entrySet()) {
        yaml = yaml.replace(s.getKey(), s.getValue());
      }
      documents.add(yaml);
    }
    return String.join("\n---\n", documents);
  }

  static String url(String portal, int lun) {
    return "iscsi://"
        + CHAP_USER
        + "%"
        + CHAP_PASSWORD
        + "@"
        + portal
        + "/"
        + IQN
        + "/"
        + lun
        + "?target_user="
        + TARGET_USER
        + "&target_password="
        + TARGET_PASSWORD;
  }

  private static List<Path> files() {
    try (Stream<Path> list = Files.list(DIR)) {
      return list.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted((a, b) -> order(a) - order(b))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The namespace first, then Secrets, so the rest finds them. */
  private static int order(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith("namespace") ? 0 : name.contains("secret") ? 1 : 2;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
