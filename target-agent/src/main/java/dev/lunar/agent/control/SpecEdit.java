package dev.lunar.agent.control;

import dev.lunar.agent.model.TargetSetSpec;

/**
 * A candidate spec built from one tgtadm request, plus the object it changed so that the engine's
 * report can be checked for that object alone.
 *
 * @param candidate the whole desired set after the change
 * @param tid the target changed
 * @param lun the LUN changed, or -1 for the target itself, or -2 when no engine object is at stake
 *     (an account or ACL change the engine cannot refuse)
 */
record SpecEdit(TargetSetSpec candidate, int tid, int lun) {

  static final int TARGET = -1;
  static final int NOTHING = -2;
}
