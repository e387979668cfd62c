package dev.lunar.operator.csi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Kubernetes name of a CSI volume's objects (its IscsiTarget, IscsiLun and CHAP Secret), which
 * is also its volume id. external-provisioner names volumes after their PersistentVolume ({@code
 * pvc-<uid>}), already a valid name, and keeps it; any other name (up to the 128 characters CSI
 * allows) is folded to a DNS label with a digest of the original, so the same name always gives the
 * same objects: that is what makes CreateVolume idempotent.
 */
final class VolumeNames {

  /** Room for "-chap" after the name in a 63-character label. */
  static final int MAX = 58;

  private static final int DIGEST_CHARS = 10;

  private VolumeNames() {}

  static String objectName(String csiName) {
    if (csiName.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && csiName.length() <= MAX) {
      return csiName;
    }
    String folded = csiName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    folded = folded.replaceAll("^-+|-+$", "");
    int room = MAX - DIGEST_CHARS - 1;
    if (folded.length() > room) {
      folded = folded.substring(0, room).replaceAll("-+$", "");
    }
    String digest = digest(csiName);
    return folded.isEmpty() ? "v-" + digest : folded + "-" + digest;
  }

  static String secretName(String objectName) {
    return objectName + "-chap";
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, DIGEST_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
