package dev.lunar.operator;

import dev.lunar.testing.Layers;
import java.util.List;

/**
 * The operator's packages depend downward only, as docs/architecture.md draws them: the pure
 * planner at the bottom, the cluster view on it, the reconcilers on both, the process on top.
 */
class LayersTest extends Layers {

  /** Lowest first; the CRD model (dev.lunar.crds) is a module below them all. */
  static final List<List<String>> TIERS =
      List.of(List.of("plan"), List.of("view"), List.of("reconcile", "csi"), List.of(""));

  LayersTest() {
    super("dev.lunar.operator", TIERS);
  }
}
