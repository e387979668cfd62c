/**
 * The iSCSI login phase without any networking: text key parsing (RFC 7143 6.1), the security stage
 * with CHAP (12.1.3), operational negotiation of every section 13 key, initiator ACLs and
 * SendTargets discovery answers.
 *
 * <p>Entry points: {@link dev.lunar.agent.iscsi.login.LoginNegotiation} (one per connection, fed
 * one complete Login Request at a time), {@link dev.lunar.agent.iscsi.login.TextParameters} (data
 * segment bytes to and from keys) and {@link dev.lunar.agent.iscsi.login.SendTargets}. Failures are
 * {@link dev.lunar.agent.iscsi.login.LoginException}s carrying the Login Response status to send.
 */
package dev.lunar.agent.iscsi.login;
