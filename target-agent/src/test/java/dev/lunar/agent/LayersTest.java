package dev.lunar.agent;

import dev.lunar.testing.Layers;
import java.util.List;

/**
 * The agent's packages depend downward only, as docs/architecture.md draws them: a class uses its
 * own package and lower tiers, never a peer or anything above, so no package cycle can form.
 */
class LayersTest extends Layers {

  /** Lowest first. Why each package sits where it does: docs/architecture.md. */
  static final List<List<String>> TIERS =
      List.of(
          List.of("model", "storage", "logging", "iscsi.pdu", "tgtadm", "node.inventory"),
          List.of("scsi", "iscsi.login"),
          List.of("metrics", "target"),
          List.of("iscsi.session"),
          List.of("iscsi", "engine"),
          List.of("control"),
          List.of("daemon"),
          List.of("node", "training"),
          List.of(""));

  LayersTest() {
    super("dev.lunar.agent", TIERS);
  }
}
