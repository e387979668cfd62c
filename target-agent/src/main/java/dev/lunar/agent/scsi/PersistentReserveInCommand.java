package dev.lunar.agent.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * PERSISTENT RESERVE IN (0x5E, SPC-4 6.15). CDB: byte 1 bits 4-0 service action (0 READ KEYS, 1
 * READ RESERVATION, 2 REPORT CAPABILITIES, 3 READ FULL STATUS); bytes 7-8 allocation length.
 *
 * <pre>
 * READ KEYS:        0-3 generation, 4-7 additional length, 8-byte keys
 * READ RESERVATION: 0-3 generation, 4-7 additional length (0 or 16), 8-15 key, 21 scope | type
 * REPORT CAPABILITIES: 0-1 length 8, 2 bit 4 CRH, 3 bit 7 TMV, 4-5 type mask
 * READ FULL STATUS: 0-3 generation, 4-7 additional length, then per registration 0-7 key,
 *                   12 bit 0 R_HOLDER, 13 scope | type, 18-19 relative target port,
 *                   20-23 TransportID length, 24.. iSCSI TransportID (format 01: name,i,0xISID)
 * </pre>
 */
final class PersistentReserveInCommand implements CommandHandler {

  private final PersistentReservations state;

  PersistentReserveInCommand(PersistentReservations state) {
    this.state = state;
  }

  @Override
  public ScsiResult execute(ScsiRequest request, Cdb cdb) throws CheckCondition {
    cdb.require(10);
    int allocation = cdb.u16(7);
    byte[] data =
        switch (cdb.serviceAction()) {
          case 0 -> readKeys();
          case 1 -> readReservation();
          case 2 -> capabilities(state);
          case 3 -> fullStatus();
          default -> throw CheckCondition.invalidCdbField(1);
        };
    return Responses.data(data, allocation);
  }

  private byte[] readKeys() {
    synchronized (state) {
      List<Long> keys = state.keys();
      byte[] data = new byte[8 + 8 * keys.size()];
      Bytes.putU32(data, 0, state.generation());
      Bytes.putU32(data, 4, 8L * keys.size());
      for (int i = 0; i < keys.size(); i++) {
        Bytes.putU64(data, 8 + 8 * i, keys.get(i));
      }
      return data;
    }
  }

  private byte[] readReservation() {
    synchronized (state) {
      int type = state.type();
      byte[] data = new byte[type == 0 ? 8 : 24];
      Bytes.putU32(data, 0, state.generation());
      if (type != 0) {
        Bytes.putU32(data, 4, 16);
        Bytes.putU64(data, 8, state.holderKey());
        data[21] = (byte) type;
      }
      return data;
    }
  }

  /**
   * REPORT CAPABILITIES (SPC-4 6.15.4): byte 2 bit 4 CRH, bit 0 PTPL_C; byte 3 bit 7 TMV, bit 0
   * PTPL_A; bytes 4-5 the persistent reservation type mask.
   */
  private static byte[] capabilities(PersistentReservations state) {
    byte[] data = new byte[8];
    Bytes.putU16(data, 0, 8);
    data[2] = (byte) (0x10 | (state.persistenceCapable() ? 0x01 : 0));
    data[3] = (byte) (0x80 | (state.persistenceActive() ? 0x01 : 0));
    data[4] = (byte) (0x80 | 0x40 | 0x20 | 0x08 | 0x02);
    data[5] = 0x01;
    return data;
  }

  private byte[] fullStatus() {
    synchronized (state) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Map.Entry<Nexus, Long> e : state.registrations().entrySet()) {
        byte[] transportId = transportId(e.getKey());
        byte[] d = new byte[24];
        Bytes.putU64(d, 0, e.getValue());
        if (state.isHolder(e.getKey())) {
          d[12] = 0x01;
          d[13] = (byte) state.type();
        }
        Bytes.putU16(d, 18, e.getKey().relativeTargetPort());
        Bytes.putU32(d, 20, transportId.length);
        out.writeBytes(d);
        out.writeBytes(transportId);
      }
      byte[] descriptors = out.toByteArray();
      byte[] data = new byte[8 + descriptors.length];
      Bytes.putU32(data, 0, state.generation());
      Bytes.putU32(data, 4, descriptors.length);
      System.arraycopy(descriptors, 0, data, 8, descriptors.length);
      return data;
    }
  }

  /**
   * iSCSI TransportID, format 01 (SPC-4 7.6.4.6): byte 0 0x45 (format 1, protocol 5), 2-3
   * additional length, then the initiator port name, null terminated, padded to four bytes.
   */
  static byte[] transportId(Nexus nexus) {
    byte[] name = nexus.initiatorPortName().getBytes(StandardCharsets.UTF_8);
    int padded = (name.length + 1 + 3) & ~3;
    byte[] id = new byte[4 + padded];
    id[0] = 0x45;
    Bytes.putU16(id, 2, padded);
    System.arraycopy(name, 0, id, 4, name.length);
    return id;
  }
}
