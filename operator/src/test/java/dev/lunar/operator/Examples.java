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
public final class Examples {

  static final Path DIR = Path.of("../deploy/examples");
  public static final String NAMESPACE = "lunar-demo";
  public static final String IQN = "iqn.2026-11.dev.lunar:demo";
  public static final String CHAP_USER = "demo-initiator";
  public static final String CHAP_PASSWORD = "change-me-12345";
  public static final String TARGET_USER = "lunar-target";
  public static final String TARGET_PASSWORD = "change-me-too-67";
  public static final String INITIATOR = "iqn.1993-08.org.debian:01:demo-client";

  private Examples() {}

  /**
   * The examples as one multi-document YAML, with the local substitutions applied, for an agent
   * running as a process here: files in {@code files}, initiators on loopback.
   */
  static String fitted(String node, String device, Path files, int port) {
    return fitted(node, device, files.toAbsolutePath() + "/", port, "127.0.0.0/8");
  }

  /**
   * The examples fitted to an agent anywhere: {@code filesDir} is the directory of the file LUNs as
   * the agent sees it (ending in /), {@code initiators} the CIDR the ACL admits instead of
   * 10.0.0.0/8.
   */
  public static String fitted(
      String node, String device, String filesDir, int port, String initiators) {
    Map<String, String> substitutions =
        Map.of(
            "node: worker-1", "node: " + node,
            "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", device,
            "/var/lib/lunar/files/", filesDir,
            "port: 3260", "port: " + port,
            "10.0.0.0/8", initiators);
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

  public static String url(String portal, int lun) {
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
