package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.login.LoginThrottle;
import dev.lunar.agent.iscsi.login.TargetDirectory;
import dev.lunar.agent.metrics.AgentMetrics;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What every connection of a daemon shares.
 *
 * @param sessions the live sessions
 * @param directory targets as login and discovery see them (names, ACLs, CHAP accounts)
 * @param targets live targets and their logical units
 * @param commandExecutor runs SCSI commands, which may block on disk I/O
 * @param portals the portals SendTargets reports, as {@code host:port,tpgt}
 * @param random challenges and tags
 * @param metrics where logins, PDUs and I/O are counted
 * @param loginThrottle delays CHAP attempts after failed ones, daemon-wide; its delays must stay
 *     below the login deadline of the {@link ConnectionGuard} in front of the connections
 */
public record ConnectionServices(
    SessionRegistry sessions,
    TargetDirectory directory,
    TargetLookup targets,
    Executor commandExecutor,
    List<String> portals,
    SecureRandom random,
    AgentMetrics metrics,
    LoginThrottle loginThrottle) {

  /** Services that count nothing, with a login throttle on the system clock (see below). */
  public ConnectionServices(
      SessionRegistry sessions,
      TargetDirectory directory,
      TargetLookup targets,
      Executor commandExecutor,
      List<String> portals,
      SecureRandom random) {
    this(sessions, directory, targets, commandExecutor, portals, random, AgentMetrics.disabled());
  }

  /**
   * Services that count with {@code metrics}, with a login throttle on the system clock whose
   * delays stay below the default login deadline.
   */
  public ConnectionServices(
      SessionRegistry sessions,
      TargetDirectory directory,
      TargetLookup targets,
      Executor commandExecutor,
      List<String> portals,
      SecureRandom random,
      AgentMetrics metrics) {
    this(
        sessions,
        directory,
        targets,
        commandExecutor,
        portals,
        random,
        metrics,
        LoginThrottle.systemClock(ConnectionGuard.DEFAULT_LOGIN_DEADLINE));
  }
}
