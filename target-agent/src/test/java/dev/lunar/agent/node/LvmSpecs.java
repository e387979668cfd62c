package dev.lunar.agent.node;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;

/** Volume group pools and their volumes, as the operator writes them; specs: {@link PoolSpecs}. */
final class LvmSpecs {

  static final String GROUP = "lunarrec";
  static final String THIN_LV = "lunar-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
  static final String UNWIPED_LV = "lunar-11111111-2222-4333-8444-555555555555";
  static final long MIB = 1L << 20;

  private LvmSpecs() {}

  static String device(String name) {
    return "/dev/" + GROUP + "/" + name;
  }

  static NodeLun volume(int lun, String device, long size, Boolean thin, String pool) {
    return new NodeLun(
        lun, "ns/v" + lun, device, null, size, thin, false, 512, null, null, null, pool, null);
  }

  static NodePool thinPool() {
    return NodePool.volumeGroup("fast", GROUP, "tpool");
  }

  static NodePool linearPool() {
    return NodePool.volumeGroup("bulk", GROUP, null);
  }
}
