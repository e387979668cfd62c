package dev.lunar.agent.node;

import dev.lunar.agent.model.TargetSetSpec;
import java.util.Map;

/**
 * An IscsiNode spec turned into what the engine applies, plus what was refused before the engine
 * saw it.
 *
 * @param spec the target set to apply
 * @param refused why a LUN was left out, by "tid/lun" (for example a device that is in use)
 */
public record DesiredSet(TargetSetSpec spec, Map<String, Refusal> refused) {

  public DesiredSet {
    refused = Map.copyOf(refused);
  }

  static String key(int tid, int lun) {
    return tid + "/" + lun;
  }
}
