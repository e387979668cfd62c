package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.DataOut;
import dev.lunar.agent.iscsi.pdu.DataPlacement;
import dev.lunar.agent.iscsi.pdu.InvalidPdu;
import dev.lunar.agent.iscsi.pdu.LogoutRequest;
import dev.lunar.agent.iscsi.pdu.LogoutResponse;
import dev.lunar.agent.iscsi.pdu.NopIn;
import dev.lunar.agent.iscsi.pdu.NopOut;
import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.RejectReason;
import dev.lunar.agent.iscsi.pdu.ScsiCommand;
import dev.lunar.agent.iscsi.pdu.TaskManagementRequest;
import dev.lunar.agent.iscsi.pdu.TextRequest;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The full feature phase of one connection (RFC 7143 section 4.2): routes each PDU to the part of
 * the target that handles it, through the session's CmdSN window where the RFC orders it; and tells
 * the decoder where accepted write data goes as it arrives.
 */
final class FullFeaturePhase implements DataPlacement.Placer {

  private static final int NO_TAG = 0xffffffff;
  private static final int CLOSE_SESSION = 0;
  private static final int CLOSE_CONNECTION = 1;

  private final Connection connection;
  private final Session session;
  private final CommandFlow commands;
  private final TaskManagement taskManagement;
  private final TextExchange text;

  FullFeaturePhase(
      Connection connection,
      Session session,
      ConnectionServices services,
      Duration dataOutTimeout) {
    this.connection = connection;
    this.session = session;
    this.commands =
        new CommandFlow(
            connection,
            session,
            services.commandExecutor(),
            services.sessions().transferBudget(),
            dataOutTimeout);
    this.taskManagement = new TaskManagement(connection, session, services);
    this.text = new TextExchange(connection, session, services);
  }

  @Override
  public ByteBuf place(int itt, int ttt, int dataSn, int bufferOffset, int length) {
    return session.discovery()
        ? null
        : commands.placeDataOut(itt, ttt, dataSn, bufferOffset, length);
  }

  @Override
  public ByteBuf placeImmediateData(int itt, int expectedLength, int length) {
    return session.discovery() ? null : commands.placeImmediateData(itt, expectedLength, length);
  }

  void receive(Pdu pdu) {
    switch (pdu) {
      case ScsiCommand c -> {
        if (session.discovery()) {
          rejectAndRelease(pdu, RejectReason.PROTOCOL_ERROR.value());
        } else {
          commands.command(c);
        }
      }
      case DataOut d -> commands.dataOut(d);
      case NopOut n -> nopOut(n);
      case TaskManagementRequest t ->
          inOrder(t, t.cmdSn(), t.immediate(), () -> taskManagement.handle(t));
      case TextRequest t -> inOrder(t, t.cmdSn(), t.immediate(), () -> text.handle(t));
      case LogoutRequest l -> inOrder(l, l.cmdSn(), l.immediate(), () -> logout(l));
      case InvalidPdu invalid -> {
        commands.discardPlacedImmediateData(); // if it was a write command that did not decode
        connection.reject(invalid);
        invalid.bhs().release();
      }
      default -> rejectAndRelease(pdu, RejectReason.PROTOCOL_ERROR.value());
    }
  }

  private void rejectAndRelease(Pdu pdu, int reason) {
    connection.reject(reason, pdu);
    ReferenceCountUtil.release(pdu.data());
  }

  /**
   * Runs a non-SCSI request in CmdSN order on this connection's event loop; its window slot opens
   * again as soon as it has run, since these requests finish at once. A request the window drops is
   * released here, since its handler never sees it.
   */
  private void inOrder(Pdu request, int cmdSn, boolean immediate, Runnable work) {
    CmdSnWindow.Verdict verdict =
        session
            .window()
            .offer(
                cmdSn,
                immediate,
                () ->
                    connection
                        .channel()
                        .eventLoop()
                        .execute(
                            () -> {
                              try {
                                work.run();
                              } finally {
                                if (!immediate) {
                                  session.window().completed();
                                }
                              }
                            }));
    if (verdict == CmdSnWindow.Verdict.DROPPED) {
      ReferenceCountUtil.release(request.data());
    }
  }

  /**
   * NOP-Out: a ping to answer (valid ITT), or the answer to our own ping (ITT 0xffffffff, RFC 7143
   * section 11.18).
   */
  private void nopOut(NopOut nop) {
    if (nop.itt() == NO_TAG) {
      connection.pingAnswered(nop.ttt());
      nop.data().release();
      return;
    }
    ByteBuf echo = nop.data();
    inOrder(
        nop,
        nop.cmdSn(),
        nop.immediate(),
        () ->
            connection.send(
                (s, exp, max) -> new NopIn(nop.lun(), nop.itt(), NO_TAG, s, exp, max, echo), true));
  }

  /**
   * Logout (RFC 7143 section 11.14): answered once the tasks of what is closing have finished, then
   * the connection (or every connection of the session) closes.
   */
  private void logout(LogoutRequest request) {
    int reason = request.reasonCode() & 0x7f;
    if (reason == CLOSE_CONNECTION && request.cid() != connection.cid()) {
      Connection other = session.connection(request.cid());
      if (other == null) {
        logoutResponse(request, 1);
        return;
      }
      other.close("logged out from another connection");
      logoutResponse(request, 0);
      return;
    }
    if (reason != CLOSE_SESSION && reason != CLOSE_CONNECTION) {
      logoutResponse(request, 2); // connection recovery needs ErrorRecoveryLevel 2
      return;
    }
    CompletableFuture<?>[] pending =
        session.tasks().values().stream()
            .filter(t -> reason == CLOSE_SESSION || t.connection() == connection)
            .map(ScsiTask::finished)
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(pending)
        .whenComplete(
            (ok, error) ->
                connection
                    .channel()
                    .eventLoop()
                    .execute(
                        () -> {
                          logoutResponse(request, 0);
                          if (reason == CLOSE_SESSION) {
                            session.close("logged out");
                          } else {
                            connection.close("logged out");
                          }
                        }));
  }

  private void logoutResponse(LogoutRequest request, int response) {
    connection.send(
        (s, exp, max) -> new LogoutResponse(response, request.itt(), s, exp, max, 0, 0), true);
  }

  /** The initiator reads again what this connection sends: held commands may run. */
  void writable() {
    commands.resumeHeld();
  }

  void abort(ScsiTask task) {
    commands.abort(task);
  }

  /** This connection is gone: its tasks will never be answered. */
  void connectionLost() {
    commands.abortAll();
    text.release();
  }

  /** The session's last connection is gone: tell the logical units the nexus has ended. */
  void sessionEnded() {
    taskManagement.nexusLost();
  }
}
