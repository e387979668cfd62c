package dev.lunar.agent.scsi;

/**
 * An I_T nexus: one initiator port talking to one target port (SAM-5 4.6). Unit attentions and
 * reservations are kept per nexus.
 *
 * @param initiatorName the initiator's iSCSI name (IQN or EUI)
 * @param isid the initiator session ID, 48 bits; with the name it forms the initiator port name
 * @param targetName the target's iSCSI name
 * @param relativeTargetPort the relative target port identifier reported in VPD page 0x83
 */
public record Nexus(String initiatorName, long isid, String targetName, int relativeTargetPort) {

  /** The SCSI initiator port name, as iSCSI defines it: {@code name,i,0xISID}. */
  public String initiatorPortName() {
    return initiatorName + ",i,0x" + String.format("%012x", isid);
  }
}
