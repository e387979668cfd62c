/**
 * tgtadm, the admin's end of the control channel: its command line (a drop-in for tgt's), the
 * requests and replies it exchanges with the daemon ({@link dev.lunar.agent.tgtadm.TgtadmRequest},
 * {@link dev.lunar.agent.tgtadm.TgtadmReply}, {@link dev.lunar.agent.tgtadm.TgtadmError}), their
 * wire format ({@link dev.lunar.agent.tgtadm.ControlProtocol}) and socket ({@link
 * dev.lunar.agent.tgtadm.ControlSocket}). The daemon's end, which carries the requests out, is
 * {@code dev.lunar.agent.control}; this package imports nothing of it.
 */
package dev.lunar.agent.tgtadm;
