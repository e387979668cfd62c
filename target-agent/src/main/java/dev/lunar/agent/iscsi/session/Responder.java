package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.Pdu;

/**
 * Builds a target PDU once its connection knows the sequence numbers to put in it. Responses are
 * built at send time, on the connection's event loop, so StatSN follows the order of the wire.
 */
@FunctionalInterface
interface Responder {
  Pdu build(int statSn, int expCmdSn, int maxCmdSn);
}
