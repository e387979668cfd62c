package dev.lunar.csi.node;

import java.nio.file.Path;
import java.util.Properties;

/**
 * A volume staged on this node, as the state directory keeps it so that a restarted plugin still
 * knows which LUNs of which targets are in use.
 *
 * @param volumeId the CSI volume ID
 * @param target the target whose session carries the volume
 * @param lun the LUN's number
 * @param stagingPath where kubelet asked the volume staged
 * @param block true for a raw block volume (nothing mounted at the staging path), false for a file
 *     system mounted there
 * @param fsType the file system type, empty for a block volume
 */
record StagedVolume(
    String volumeId, IscsiTarget target, int lun, Path stagingPath, boolean block, String fsType) {

  Properties toProperties() {
    Properties properties = new Properties();
    properties.setProperty("volumeId", volumeId);
    properties.setProperty("address", target.address());
    properties.setProperty("port", Integer.toString(target.port()));
    properties.setProperty("iqn", target.iqn());
    properties.setProperty("lun", Integer.toString(lun));
    properties.setProperty("stagingPath", stagingPath.toString());
    properties.setProperty("accessType", block ? "block" : "mount");
    properties.setProperty("fsType", fsType);
    return properties;
  }

  static StagedVolume fromProperties(Properties properties) {
    return new StagedVolume(
        required(properties, "volumeId"),
        new IscsiTarget(
            required(properties, "address"),
            Integer.parseInt(required(properties, "port")),
            required(properties, "iqn")),
        Integer.parseInt(required(properties, "lun")),
        Path.of(required(properties, "stagingPath")),
        required(properties, "accessType").equals("block"),
        properties.getProperty("fsType", ""));
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }
}
