package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.LoginNegotiation;
import dev.lunar.agent.iscsi.login.LoginTarget;
import dev.lunar.agent.logging.LogContext;
import dev.lunar.agent.metrics.IscsiStats;
import dev.lunar.agent.metrics.LoginReasons;

/**
 * Counts login outcomes, kept out of {@link LoginPhase} so its flow reads as the protocol. A
 * refused login is tagged with its target only once the negotiation matched a configured one: a
 * name an initiator merely typed must not become a label value.
 */
final class LoginMetering {

  private LoginMetering() {}

  /** Counts a login that completed, and puts its nexus into the logging context from now on. */
  static void succeeded(ConnectionServices services, SessionIdentity identity) {
    LogContext.enter(identity.targetName(), identity.initiatorName());
    services
        .metrics()
        .iscsi()
        .login(identity.targetName(), identity.initiatorName(), true, LoginReasons.NONE);
  }

  static void failed(
      ConnectionServices services, LoginNegotiation negotiation, int statusClass, int detail) {
    String target =
        negotiation == null
            ? IscsiStats.UNKNOWN
            : negotiation.target().map(LoginTarget::iqn).orElse(IscsiStats.UNKNOWN);
    String initiator = negotiation == null ? null : negotiation.initiatorName();
    services
        .metrics()
        .iscsi()
        .login(target, initiator, false, LoginReasons.of(statusClass, detail));
  }
}
