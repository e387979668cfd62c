package dev.lunar.csi.node;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * open-iscsi's iscsiadm, for the few operations staging needs: a node record per target, its
 * settings, login, rescan, logout and removal. Exit codes as iscsiadm(8) lists them.
 */
final class Iscsiadm {

  private static final Logger LOG = LoggerFactory.getLogger(Iscsiadm.class);

  /** The command, found on the PATH; the node's readiness checks that it is there. */
  static final String COMMAND = "iscsiadm";

  /** ISCSI_ERR_SESS_EXISTS: a session to the target is already logged in. */
  static final int SESSION_EXISTS = 15;

  /** ISCSI_ERR_NO_OBJS_FOUND: no such record or session, so nothing to log out or delete. */
  static final int NO_OBJECTS_FOUND = 21;

  /** ISCSI_ERR_LOGIN_AUTH_FAILED: the target rejected the CHAP credentials. */
  static final int LOGIN_AUTH_FAILED = 24;

  /** ISCSI_ERR_FATAL_LOGIN: the target refused the login for good (e.g. its ACL). */
  static final int FATAL_LOGIN = 19;

  /** ISCSI_ERR_TRANS, ISCSI_ERR_TRANS_TIMEOUT: the portal could not be reached. */
  static final List<Integer> UNREACHABLE = List.of(4, 8);

  /** ISCSI_ERR_ISCSID_NOTCONN, ISCSI_ERR_TRANS_NOT_FOUND: no iscsid, or no iscsi_tcp module. */
  static final List<Integer> NO_INITIATOR = List.of(12, 20);

  /**
   * How long a lost session waits for the target to come back before failing I/O up to the file
   * system. A Lunar volume has one path, so there is nothing to fail over to: failing fast only
   * makes ext4 remount read-only and the pod need a restart, while queueing rides out an agent
   * restart (a rolling update, an image pull). Longer would leave unmounts and processes stuck in D
   * state for that long when a target is really gone; open-iscsi's default is 120 s.
   */
  static final int REPLACEMENT_TIMEOUT_SECONDS = 180;

  /**
   * Login retries of 15 s each (open-iscsi's login timeout) before iscsiadm gives up: four, about a
   * minute, keep an unreachable portal's failure inside kubelet's two-minute deadline for
   * NodeStageVolume, where open-iscsi's default of eight would not.
   */
  static final int INITIAL_LOGIN_RETRY_MAX = 4;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(100);

  private final CommandRunner runner;

  Iscsiadm(CommandRunner runner) {
    this.runner = runner;
  }

  /**
   * Creates (or rewrites) the node record of {@code target} with this volume's settings. The record
   * is made directly rather than by SendTargets discovery, which would add a record for every
   * target the portal offers and needs discovery credentials of its own.
   */
  void writeRecord(IscsiTarget target, Optional<ChapCredentials> chap) throws IOException {
    run(node(target, "-o", "new"), TIMEOUT);
    update(target, "node.session.timeo.replacement_timeout", "" + REPLACEMENT_TIMEOUT_SECONDS);
    update(target, "node.session.initial_login_retry_max", "" + INITIAL_LOGIN_RETRY_MAX);
    if (chap.isEmpty()) {
      update(target, "node.session.auth.authmethod", "None");
      return;
    }
    ChapCredentials credentials = chap.get();
    update(target, "node.session.auth.authmethod", "CHAP");
    update(target, "node.session.auth.username", credentials.username());
    updateSecret(target, "node.session.auth.password", credentials.password());
    if (credentials.mutual()) {
      update(target, "node.session.auth.username_in", credentials.usernameIn());
      updateSecret(target, "node.session.auth.password_in", credentials.passwordIn());
    }
  }

  /**
   * Logs in to {@code target}.
   *
   * @return false after a new login, true when a session was there already: left by a crash of an
   *     earlier plugin, or serving another volume of the same target
   */
  boolean login(IscsiTarget target) throws IOException {
    Command login = node(target, "--login");
    CommandRunner.Result result = runner.run(login, LOGIN_TIMEOUT);
    if (result.succeeded()) {
      LOG.info("logged in to {}", target);
      return false;
    }
    if (result.exitCode() == SESSION_EXISTS || result.message().contains("already present")) {
      return true;
    }
    throw new CommandFailedException(login, result);
  }

  /** Asks the kernel to scan the target's session for LUNs it does not know yet. */
  void rescan(IscsiTarget target) throws IOException {
    run(node(target, "--rescan"), TIMEOUT);
  }

  /** Logs out of {@code target}; no session is no failure. */
  void logout(IscsiTarget target) throws IOException {
    if (runAllowingNone(node(target, "--logout"), LOGIN_TIMEOUT)) {
      LOG.info("logged out of {}", target);
    }
  }

  /** Deletes the node record, and with it the credentials open-iscsi keeps on disk. */
  void deleteRecord(IscsiTarget target) throws IOException {
    runAllowingNone(node(target, "-o", "delete"), TIMEOUT);
  }

  private void update(IscsiTarget target, String name, String value) throws IOException {
    run(node(target, "-o", "update", "-n", name, "-v", value), TIMEOUT);
  }

  /**
   * Sets a CHAP secret. iscsiadm takes it only as an argument, so for the moment it runs it is
   * visible in /proc/PID/cmdline to whoever can read that on the node; open-iscsi has no other way
   * in (no stdin, no file). The plugin's own logs and errors show it as ***.
   */
  private void updateSecret(IscsiTarget target, String name, String secret) throws IOException {
    List<String> argv = new ArrayList<>(node(target, "-o", "update", "-n", name, "-v").argv());
    argv.add(secret);
    run(Command.withSecretLast(argv.toArray(String[]::new)), TIMEOUT);
  }

  private void run(Command command, Duration timeout) throws IOException {
    CommandRunner.Result result = runner.run(command, timeout);
    if (!result.succeeded()) {
      throw new CommandFailedException(command, result);
    }
  }

  /** Runs {@code command}; false when iscsiadm found nothing to act on. */
  private boolean runAllowingNone(Command command, Duration timeout) throws IOException {
    CommandRunner.Result result = runner.run(command, timeout);
    if (result.exitCode() == NO_OBJECTS_FOUND) {
      return false;
    }
    if (!result.succeeded()) {
      throw new CommandFailedException(command, result);
    }
    return true;
  }

  private static Command node(IscsiTarget target, String... operation) {
    List<String> argv =
        new ArrayList<>(List.of(COMMAND, "-m", "node", "-T", target.iqn(), "-p", target.portal()));
    argv.addAll(List.of(operation));
    return new Command(argv, Set.of());
  }
}
