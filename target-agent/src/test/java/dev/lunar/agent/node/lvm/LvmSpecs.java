package dev.lunar.agent.node.lvm;

import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec;
import dev.lunar.crds.api.v1alpha1.IscsiNodeSpec.NodePool;
import dev.lunar.crds.api.v1alpha1.NodeLun;
import dev.lunar.crds.api.v1alpha1.NodeTarget;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** IscsiNode specs with volume group pools, as the operator writes them. */
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
        lun, "ns/v" + lun, device, null, size, thin, false, 512, null, null, null, pool);
  }

  static IscsiNodeSpec spec(List<NodePool> pools, NodeLun... luns) {
    NodeTarget target =
        new NodeTarget(
            1,
            "iqn.2026-12.dev.lunar:lvm",
            "ns/t",
            3260,
            Arrays.asList(luns),
            List.of(),
            List.of("ALL"),
            null,
            null,
            Map.of());
    return new IscsiNodeSpec(null, List.of(target), pools);
  }

  static NodePool thinPool() {
    return NodePool.volumeGroup("fast", GROUP, "tpool");
  }

  static NodePool linearPool() {
    return NodePool.volumeGroup("bulk", GROUP, null);
  }
}
