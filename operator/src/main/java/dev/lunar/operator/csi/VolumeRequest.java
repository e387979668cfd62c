package dev.lunar.operator.csi;

import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.CreateVolumeRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CreateVolume request, checked and read: the size to carve and where to carve it from. The
 * StorageClass parameters are contracts, so an unknown one is an error rather than ignored.
 *
 * @param pool the pool by name, or null to choose among all (or the selected) pools
 * @param poolSelector labels a chosen pool must carry, possibly empty
 */
record VolumeRequest(
    String csiName,
    String objectName,
    long sizeBytes,
    String pool,
    Map<String, String> poolSelector,
    boolean thin,
    Integer blockSize) {

  static final String POOL = "pool";
  static final String POOL_SELECTOR = "poolSelector";
  static final String THIN = "thin";
  static final String BLOCK_SIZE = "blockSize";

  /** What a claim without a size gets. */
  static final long DEFAULT_SIZE = 1L << 30;

  /** Sizes round up to whole MiB: every block size divides it, and files stay aligned. */
  static final long GRANULE = 1L << 20;

  /** The prefix of the parameters external-provisioner reserves for itself. */
  private static final String PROVISIONER_PREFIX = "csi.storage.k8s.io/";

  static VolumeRequest of(CreateVolumeRequest request) {
    if (request.getName().isEmpty()) {
      throw CsiErrors.invalid("a volume name is required");
    }
    String capabilities = Capabilities.problem(request.getVolumeCapabilitiesList());
    if (capabilities != null) {
      throw CsiErrors.invalid(capabilities);
    }
    if (request.hasVolumeContentSource()) {
      throw CsiErrors.invalid("Lunar cannot create a volume from a snapshot or another volume yet");
    }
    Map<String, String> parameters = request.getParametersMap();
    for (String key : parameters.keySet()) {
      if (!key.startsWith(PROVISIONER_PREFIX)
          && !key.equals(POOL)
          && !key.equals(POOL_SELECTOR)
          && !key.equals(THIN)
          && !key.equals(BLOCK_SIZE)) {
        throw CsiErrors.invalid(
            "unknown StorageClass parameter "
                + key
                + "; Lunar knows pool, poolSelector, thin and blockSize");
      }
    }
    return new VolumeRequest(
        request.getName(),
        VolumeNames.objectName(request.getName()),
        size(request.hasCapacityRange() ? request.getCapacityRange() : null),
        blankToNull(parameters.get(POOL)),
        selector(parameters.getOrDefault(POOL_SELECTOR, "")),
        thin(parameters.get(THIN)),
        blockSize(parameters.get(BLOCK_SIZE)));
  }

  /** The size to provision: at least what is required, at most the limit, in whole MiB. */
  static long size(CapacityRange range) {
    long required = range == null ? 0 : range.getRequiredBytes();
    long limit = range == null ? 0 : range.getLimitBytes();
    if (required < 0 || limit < 0) {
      throw CsiErrors.invalid("capacity range bytes cannot be negative");
    }
    if (limit > 0 && required > limit) {
      throw CsiErrors.invalid("required_bytes " + required + " exceeds limit_bytes " + limit);
    }
    long wanted = required > 0 ? required : DEFAULT_SIZE;
    if (required == 0 && limit > 0) {
      wanted = Math.min(wanted, limit);
    }
    long size = Math.max(GRANULE, (wanted + GRANULE - 1) / GRANULE * GRANULE);
    if (limit > 0 && size > limit) {
      throw CsiErrors.outOfRange(
          "volumes come in whole MiB: "
              + size
              + " bytes needed for "
              + wanted
              + " exceed limit_bytes "
              + limit);
    }
    return size;
  }

  /** {@code key=value,key=value}, the equality form of a label selector. */
  static Map<String, String> selector(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String term : text.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      int eq = term.indexOf('=');
      if (eq <= 0 || eq == term.length() - 1) {
        throw CsiErrors.invalid(
            "poolSelector " + text + " must be key=value pairs separated by commas");
      }
      labels.put(term.substring(0, eq).trim(), term.substring(eq + 1).trim());
    }
    return Map.copyOf(labels);
  }

  private static boolean thin(String value) {
    if (value == null || value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw CsiErrors.invalid("thin must be true or false, not " + value);
  }

  private static Integer blockSize(String value) {
    if (value == null) {
      return null;
    }
    if (value.equals("512") || value.equals("4096")) {
      return Integer.valueOf(value);
    }
    throw CsiErrors.invalid("blockSize must be 512 or 4096, not " + value);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
