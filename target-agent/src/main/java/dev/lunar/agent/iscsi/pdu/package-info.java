/**
 * The iSCSI PDU codec (RFC 7143 section 11): one immutable record per PDU kind, {@link
 * dev.lunar.agent.iscsi.pdu.PduDecoder} and {@link dev.lunar.agent.iscsi.pdu.PduEncoder}.
 *
 * <p>Choices the session layer relies on:
 *
 * <ul>
 *   <li>Every record owns its data segment; {@code pdu.data().release()} is always correct for a
 *       decoded PDU, including {@link dev.lunar.agent.iscsi.pdu.InvalidPdu}, whose data is the
 *       rejected header.
 *   <li>{@link dev.lunar.agent.iscsi.pdu.InvalidPdu} is one of the sealed {@link
 *       dev.lunar.agent.iscsi.pdu.Pdu} kinds, so an exhaustive switch must handle it.
 *   <li>An unknown task management function decodes as {@link
 *       dev.lunar.agent.iscsi.pdu.TaskManagementFunction#UNKNOWN} with the raw code in {@code
 *       functionCode()}.
 *   <li>Digest and length setters apply from the next PDU on; call them on the channel's event
 *       loop, after writing the final Login Response, so that PDU still goes out without digests.
 *   <li>Sequence numbers and tags are plain {@code int}s; compare them with serial arithmetic.
 * </ul>
 */
package dev.lunar.agent.iscsi.pdu;
