package dev.lunar.agent.tgtadm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code tgtadm}: the control client, a drop-in for tgt's. It checks the command line as tgt 1.0.85
 * does, sends the request over the control socket, prints the daemon's answer and exits with tgt's
 * statuses: 0, 22 (EINVAL) for any refusal, 1 for an unknown mode or operation, 107 (ENOTCONN) when
 * no daemon runs.
 */
public final class TgtadmCommand {

  /** ENOTCONN: what tgtadm exits with when it cannot reach the daemon. */
  static final int ENOTCONN = 107;

  private static final long SHUTDOWN_WAIT_MILLIS = 10_000;

  private TgtadmCommand() {}

  public static int run(String[] args) {
    return run(args, ControlSocket.defaultDirectory(), System.out, System.err);
  }

  /** Runs against the control sockets in {@code controlDir}; output goes to the given streams. */
  public static int run(String[] args, Path controlDir, PrintStream out, PrintStream err) {
    TgtadmArgs.Outcome outcome = TgtadmArgs.parse(args);
    if (outcome instanceof TgtadmArgs.Exit(int status, String stdout, String stderr)) {
      out.print(stdout);
      err.print(stderr);
      out.flush();
      err.flush();
      return status;
    }
    TgtadmArgs.Send send = (TgtadmArgs.Send) outcome;
    ControlClient client = ControlClient.forPort(controlDir, send.controlPort());
    TgtadmReply reply;
    try {
      reply = client.send(send.request());
    } catch (ControlClient.DaemonUnreachableException e) {
      err.println(
          "tgtadm: failed to send request hdr to tgt daemon, Transport endpoint is not connected");
      return ENOTCONN;
    } catch (IOException e) {
      // tgt's wording when the daemon drops the connection without answering.
      err.println("tgtadm: tgtd closed the socket");
      return 0;
    }
    if (!reply.succeeded()) {
      err.println("tgtadm: " + reply.error().message());
      return TgtadmArgs.EINVAL;
    }
    if (send.request().mode().equals("system") && send.request().op().equals("delete")) {
      awaitShutdown(ControlSocket.path(controlDir, send.controlPort()));
    }
    out.print(reply.output());
    out.flush();
    return 0;
  }

  /** Like tgtadm, returns from a shutdown request only once the daemon stopped answering. */
  private static void awaitShutdown(Path socket) {
    long deadline = System.nanoTime() + SHUTDOWN_WAIT_MILLIS * 1_000_000;
    while (ControlClient.answers(socket) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
