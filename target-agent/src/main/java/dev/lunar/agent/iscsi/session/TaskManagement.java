package dev.lunar.agent.iscsi.session;

import dev.lunar.agent.iscsi.pdu.TaskManagementRequest;
import dev.lunar.agent.iscsi.pdu.TaskManagementResponse;
import dev.lunar.agent.scsi.LogicalUnit;
import dev.lunar.agent.scsi.ResetKind;
import dev.lunar.agent.target.LiveTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task management functions (RFC 7143 section 11.5, SAM-5 section 7). The response goes out only
 * after every affected task has ended, so an initiator never sees an aborted task answer later.
 */
final class TaskManagement {

  private static final Logger log = LoggerFactory.getLogger(TaskManagement.class);

  private static final int FUNCTION_COMPLETE = 0;
  private static final int TASK_DOES_NOT_EXIST = 1;
  private static final int LUN_DOES_NOT_EXIST = 2;
  private static final int REASSIGNMENT_NOT_SUPPORTED = 4;
  private static final int FUNCTION_REJECTED = 255;

  private final Connection connection;
  private final Session session;
  private final ConnectionServices services;

  TaskManagement(Connection connection, Session session, ConnectionServices services) {
    this.connection = connection;
    this.session = session;
    this.services = services;
  }

  void handle(TaskManagementRequest request) {
    services
        .metrics()
        .iscsi()
        .taskManagement(session.identity().targetName(), request.functionCode());
    int lun = LunAddress.decode(request.lun());
    LiveTarget target = session.target();
    LogicalUnit unit = target == null || lun < 0 ? null : target.unit(lun);
    switch (request.functionCode()) {
      case 1 -> abortTask(request);
      case 2 ->
          withUnit(request, unit, () -> abort(request, sessionTasks(t -> t.lun() == lun), null));
      case 4 ->
          withUnit(request, unit, () -> abort(request, targetTasks(t -> t.lun() == lun), null));
      case 5 ->
          withUnit(
              request,
              unit,
              () ->
                  abort(
                      request,
                      targetTasks(t -> t.lun() == lun),
                      () -> unit.reset(ResetKind.LOGICAL_UNIT, session.nexus(1))));
      case 6 -> abort(request, targetTasks(t -> true), () -> resetAll(ResetKind.TARGET_WARM));
      case 7 -> coldReset(request);
      case 3 -> respond(request, FUNCTION_COMPLETE); // no ACA is ever established (NACA=0)
      case 8 -> respond(request, REASSIGNMENT_NOT_SUPPORTED); // needs ErrorRecoveryLevel 2
      default -> respond(request, FUNCTION_REJECTED);
    }
  }

  private void withUnit(TaskManagementRequest request, LogicalUnit unit, Runnable action) {
    if (unit == null) {
      respond(request, LUN_DOES_NOT_EXIST);
    } else {
      action.run();
    }
  }

  /**
   * ABORT TASK. A task that is not here was either answered already (its CmdSN is below ExpCmdSN:
   * "task does not exist") or has not arrived yet; one that has not arrived but lies in the window
   * before this request counts as received and aborted (RFC 7143 section 11.5.1, case b).
   */
  private void abortTask(TaskManagementRequest request) {
    ScsiTask task = session.tasks().get(request.referencedTaskTag());
    if (task == null || task.aborted()) {
      CmdSnWindow window = session.window();
      boolean notYetArrived =
          SerialNumbers.inWindow(request.refCmdSn(), window.expCmdSn(), window.maxCmdSn())
              && SerialNumbers.lessThan(request.refCmdSn(), request.cmdSn());
      respond(request, task == null && !notYetArrived ? TASK_DOES_NOT_EXIST : FUNCTION_COMPLETE);
      return;
    }
    abort(request, List.of(task), null);
  }

  private void coldReset(TaskManagementRequest request) {
    abort(request, targetTasks(t -> true), () -> resetAll(ResetKind.TARGET_COLD));
    // A cold reset also ends every connection to the target, after the response (SAM-5 6.3.2).
    connection
        .channel()
        .eventLoop()
        .execute(
            () -> {
              for (Session s : targetSessions()) {
                s.close("target cold reset");
              }
            });
  }

  private void resetAll(ResetKind kind) {
    LiveTarget target = session.target();
    if (target != null) {
      for (LogicalUnit unit : target.units()) {
        unit.reset(kind, session.nexus(1));
      }
    }
  }

  private void abort(TaskManagementRequest request, List<ScsiTask> tasks, Runnable afterwards) {
    List<CompletableFuture<Void>> ended = new ArrayList<>();
    for (ScsiTask task : tasks) {
      if (task.itt() == request.itt()) {
        continue;
      }
      ended.add(task.finished());
      // Mark it now, not when the owning event loop gets to it: a response already queued
      // behind this request must see the abort and stay unsent.
      task.abort();
      if (task.unit() != null) {
        task.unit().abortTask(task.connection().session().nexus(1), task.itt() & 0xffffffffL);
      }
      task.connection().abortTask(task);
    }
    log.info(
        "task management function {} on {}: aborting {} task(s)",
        request.functionCode(),
        session,
        ended.size());
    CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ok, error) ->
                connection
                    .channel()
                    .eventLoop()
                    .execute(
                        () -> {
                          if (afterwards != null) {
                            afterwards.run();
                          }
                          respond(request, FUNCTION_COMPLETE);
                        }));
  }

  private List<ScsiTask> sessionTasks(Predicate<ScsiTask> filter) {
    return session.tasks().values().stream().filter(filter).toList();
  }

  private List<ScsiTask> targetTasks(Predicate<ScsiTask> filter) {
    List<ScsiTask> result = new ArrayList<>();
    for (Session s : targetSessions()) {
      s.tasks().values().stream().filter(filter).forEach(result::add);
    }
    return result;
  }

  private List<Session> targetSessions() {
    return services.sessions().forTarget(session.identity().tid());
  }

  private void respond(TaskManagementRequest request, int response) {
    connection.send(
        (s, exp, max) -> new TaskManagementResponse(response, request.itt(), s, exp, max), true);
  }

  /** The session's nexus has ended: logical units forget what they kept for it. */
  void nexusLost() {
    LiveTarget target = session.target();
    if (target != null) {
      for (LogicalUnit unit : target.units()) {
        unit.nexusLost(session.nexus(1));
      }
    }
  }
}
