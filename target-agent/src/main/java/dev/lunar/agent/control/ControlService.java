package dev.lunar.agent.control;

import static dev.lunar.agent.tgtadm.TgtadmError.INVALID_REQUEST;
import static dev.lunar.agent.tgtadm.TgtadmError.NO_DRIVER;
import static dev.lunar.agent.tgtadm.TgtadmError.NO_SESSION;
import static dev.lunar.agent.tgtadm.TgtadmError.TARGET_ACTIVE;
import static dev.lunar.agent.tgtadm.TgtadmError.UNSUPPORTED_OPERATION;

import dev.lunar.agent.engine.ApplyReport;
import dev.lunar.agent.engine.TargetEngine;
import dev.lunar.agent.model.TargetSetSpec;
import dev.lunar.agent.model.TargetSpec;
import dev.lunar.agent.target.TargetState;
import dev.lunar.agent.tgtadm.TgtadmReply;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes tgtadm requests against the live target set with tgt's rules. Each change builds a
 * candidate {@link TargetSetSpec}, applies it to the engine and, when the engine cannot bring up
 * the object that changed, re-applies the previous spec and answers as tgt would ({@code invalid
 * request} for a bad backing store). Accepted specs are persisted through the {@link StateStore}.
 * Requests are serialized: one change at a time, as tgtd's single management thread does.
 */
public final class ControlService {

  private static final Logger log = LoggerFactory.getLogger(ControlService.class);

  private final TargetEngine engine;
  private final StateStore store;
  private final Runnable shutdown;
  private TargetSetSpec current = TargetSetSpec.empty();

  /**
   * @param engine the live target set
   * @param store where accepted specs are persisted
   * @param shutdown called once, on a thread of its own, after {@code --mode system --op delete}
   *     was accepted; it stops the daemon
   */
  public ControlService(TargetEngine engine, StateStore store, Runnable shutdown) {
    this.engine = Objects.requireNonNull(engine);
    this.store = Objects.requireNonNull(store);
    this.shutdown = Objects.requireNonNull(shutdown);
  }

  /** The spec in force. */
  public synchronized TargetSetSpec current() {
    return current;
  }

  /**
   * Installs a spec restored from the state directory or read from {@code --config} at start. What
   * the engine could not apply is reported, not dropped: the spec stays as given so that a missing
   * disk comes back when it reappears and the daemon restarts.
   */
  public synchronized ApplyReport restore(TargetSetSpec spec) {
    return install(spec, engine.restore(spec), "restore");
  }

  /**
   * Replaces the whole configuration with one another front decided (the Kubernetes node agent):
   * applied as given, kept as the spec in force; problems are reported, not rolled back.
   */
  public synchronized ApplyReport replace(TargetSetSpec spec) {
    return install(spec, engine.apply(spec), "apply");
  }

  private ApplyReport install(TargetSetSpec spec, ApplyReport report, String what) {
    current = spec;
    for (ApplyReport.Problem problem : report.problems()) {
      log.warn("{}: target {} lun {}: {}", what, problem.tid(), problem.lun(), problem.message());
    }
    return report;
  }

  /** Executes one request and returns tgt's answer; never throws for bad input. */
  public synchronized TgtadmReply execute(TgtadmRequest request) {
    try {
      if (request.option("lld").filter(lld -> !lld.equals("iscsi")).isPresent()) {
        return TgtadmReply.failed(NO_DRIVER);
      }
      return dispatch(request);
    } catch (TgtadmFailure failure) {
      return TgtadmReply.failed(failure.error());
    }
  }

  private TgtadmReply dispatch(TgtadmRequest request) throws TgtadmFailure {
    String op = request.op();
    return switch (request.mode()) {
      case "target" ->
          switch (op) {
            case "new" -> change(TargetEdits.create(current, request));
            case "delete" -> deleteTarget(request);
            case "show" -> showTarget(request);
            case "bind" -> change(TargetEdits.acl(current, request, true));
            case "unbind" -> change(TargetEdits.acl(current, request, false));
            case "update" -> change(TargetEdits.update(current, request));
            default -> TgtadmReply.failed(INVALID_REQUEST);
          };
      case "logicalunit" ->
          switch (op) {
            case "new" -> change(LunEdits.create(current, request));
            case "delete" -> change(LunEdits.delete(current, request));
            case "update" -> change(LunEdits.update(current, request));
            default -> TgtadmReply.failed(INVALID_REQUEST);
          };
      case "account" ->
          switch (op) {
            case "new" -> change(AccountEdits.create(current, request));
            case "delete" -> change(AccountEdits.delete(current, request));
            case "bind" -> change(AccountEdits.bind(current, request));
            case "unbind" -> change(AccountEdits.unbind(current, request));
            case "show" -> TgtadmReply.ok(ShowFormatter.accounts(current));
            default -> TgtadmReply.failed(INVALID_REQUEST);
          };
      case "system" ->
          switch (op) {
            case "show" -> TgtadmReply.ok(ShowFormatter.system());
            case "delete" -> shutdown(request);
            case "update" -> TgtadmReply.failed(UNSUPPORTED_OPERATION);
            default -> TgtadmReply.failed(INVALID_REQUEST);
          };
      case "conn" -> connections(request);
      case "session" -> TgtadmReply.failed(INVALID_REQUEST);
      default -> TgtadmReply.failed(UNSUPPORTED_OPERATION);
    };
  }

  private TgtadmReply change(SpecEdit edit) throws TgtadmFailure {
    TargetSetSpec previous = current;
    ApplyReport report = engine.apply(edit.candidate());
    ApplyReport.Problem problem = problemFor(report, edit);
    if (problem != null) {
      log.warn(
          "tgtadm: target {} lun {} not applied: {}",
          problem.tid(),
          problem.lun(),
          problem.message());
      engine.apply(previous);
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    current = edit.candidate();
    try {
      store.save(current);
    } catch (IOException e) {
      // The engine already runs the change; refusing now would leave it and the answer apart.
      log.error(
          "could not persist the target set: {}; a restart will lose this change", e.toString());
    }
    return TgtadmReply.ok();
  }

  private static ApplyReport.Problem problemFor(ApplyReport report, SpecEdit edit) {
    return switch (edit.lun()) {
      case SpecEdit.NOTHING -> null;
      // Only the target itself: a LUN that was already failing must not block an ACL change.
      case SpecEdit.TARGET -> report.problemFor(edit.tid(), SpecEdit.TARGET);
      default -> report.problemFor(edit.tid(), edit.lun());
    };
  }

  private TargetState live(int tid) {
    return engine.state().stream().filter(s -> s.tid() == tid).findFirst().orElse(null);
  }

  /** A target with sessions is only deleted with {@code --force}, which ends them first. */
  private TgtadmReply deleteTarget(TgtadmRequest request) throws TgtadmFailure {
    SpecEdit edit = TargetEdits.delete(current, request);
    TargetState state = live(edit.tid());
    if (state != null && !state.sessions().isEmpty()) {
      if (!request.has("force")) {
        throw new TgtadmFailure(TARGET_ACTIVE);
      }
      for (TargetState.SessionState session : List.copyOf(state.sessions())) {
        engine.closeSession(edit.tid(), session.sessionId());
      }
    }
    return change(edit);
  }

  private TgtadmReply showTarget(TgtadmRequest request) throws TgtadmFailure {
    if (!request.has("tid")) {
      return TgtadmReply.ok(ShowFormatter.targets(current, engine.state()));
    }
    TargetSpec target = TargetEdits.existing(current, TargetEdits.tid(request));
    return TgtadmReply.ok(ShowFormatter.targetParams(target));
  }

  private TgtadmReply connections(TgtadmRequest request) throws TgtadmFailure {
    int tid = (int) Math.min(request.number("tid").orElse(-1), Integer.MAX_VALUE);
    TargetEdits.existing(current, tid);
    TargetState state = live(tid);
    return switch (request.op()) {
      case "show" -> TgtadmReply.ok(state == null ? "" : ShowFormatter.connections(state));
      case "delete" -> {
        long sid = request.number("sid").orElse(0);
        int cid = (int) request.number("cid").orElse(0);
        if (!engine.closeConnection(tid, sid, cid)) {
          throw new TgtadmFailure(NO_SESSION);
        }
        yield TgtadmReply.ok();
      }
      default -> TgtadmReply.failed(INVALID_REQUEST);
    };
  }

  /**
   * tgt refuses to stop while targets exist unless forced. The callback runs on its own thread so
   * that this answer reaches tgtadm before the daemon goes away.
   */
  private TgtadmReply shutdown(TgtadmRequest request) throws TgtadmFailure {
    if (!current.targets().isEmpty() && !request.has("force")) {
      throw new TgtadmFailure(INVALID_REQUEST);
    }
    Thread.ofVirtual().name("tgtd-shutdown").start(shutdown);
    return TgtadmReply.ok();
  }
}
