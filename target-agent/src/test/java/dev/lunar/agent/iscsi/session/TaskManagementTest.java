package dev.lunar.agent.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.TaskManagementFunction;
import dev.lunar.agent.iscsi.pdu.TaskManagementResponse;
import dev.lunar.agent.scsi.ResetKind;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Task management functions on an EmbeddedChannel (RFC 7143 section 11.5). */
class TaskManagementTest {

  private static final int FUNCTION_COMPLETE = 0;
  private static final int TASK_DOES_NOT_EXIST = 1;
  private static final int LUN_DOES_NOT_EXIST = 2;
  private static final int REASSIGNMENT_NOT_SUPPORTED = 4;

  private final FakeUnit unit = new FakeUnit(1);
  @AutoClose private final EmbeddedSession target = new EmbeddedSession(Map.of(1, unit));

  private int response(Pdu pdu) {
    return ((TaskManagementResponse) pdu).response();
  }

  @Test
  void abortingAWriteThatWaitsForDataEndsItUnansweredAndFreesItsReservation() {
    int itt = target.nextItt();
    var write = target.write10(itt, 1, 8, Unpooled.EMPTY_BUFFER);
    target.send(write);
    ReadyToTransfer r2t = (ReadyToTransfer) target.receivedOne();

    target.send(target.taskManagement(TaskManagementFunction.ABORT_TASK, 1, itt, write.cmdSn()));

    assertThat(response(target.receivedOne())).isEqualTo(FUNCTION_COMPLETE);
    assertThat(target.session.tasks()).isEmpty();
    assertThat(target.registry.bufferedCommandBytes()).isZero();
    target.send(target.dataOut(itt, r2t.ttt(), 0, 0, new byte[4096], true));
    assertThat(target.received()).as("its data is dropped, no answer follows").isEmpty();
    assertThat(unit.dataOut).isEmpty();
  }

  @Test
  void theResponseWaitsUntilTheRunningCommandHasEndedAndThatCommandStaysUnanswered() {
    int itt = target.nextItt();
    var command = target.testUnitReady(itt, 1);
    target.send(command);
    assertThat(target.waitingForExecutor()).isEqualTo(1);

    target.send(target.taskManagement(TaskManagementFunction.ABORT_TASK, 1, itt, command.cmdSn()));
    assertThat(target.received()).as("the command still runs").isEmpty();
    assertThat(unit.abortedTags).containsExactly((long) itt);

    target.runExecutor();
    List<Pdu> answers = target.received();
    assertThat(answers).singleElement().satisfies(p -> assertThat(response(p)).isZero());
  }

  @Test
  void abortingATaskAlreadyAnsweredIsTaskDoesNotExist() {
    int itt = target.nextItt();
    var read = target.read10(itt, 1, 1);
    target.send(read);
    target.received().forEach(p -> p.data().release());

    target.send(target.taskManagement(TaskManagementFunction.ABORT_TASK, 1, itt, read.cmdSn()));
    assertThat(response(target.receivedOne())).isEqualTo(TASK_DOES_NOT_EXIST);
  }

  @Test
  void aLogicalUnitResetResetsTheUnitAndOneOfAMissingLunIsRefused() {
    target.send(target.taskManagement(TaskManagementFunction.LOGICAL_UNIT_RESET, 1, -1, 0));
    assertThat(response(target.receivedOne())).isEqualTo(FUNCTION_COMPLETE);
    assertThat(unit.resets).containsExactly(ResetKind.LOGICAL_UNIT);

    target.send(target.taskManagement(TaskManagementFunction.LOGICAL_UNIT_RESET, 9, -1, 0));
    assertThat(response(target.receivedOne())).isEqualTo(LUN_DOES_NOT_EXIST);
  }

  @Test
  void clearAcaIsCompleteAndTaskReassignNeedsAHigherRecoveryLevel() {
    target.send(target.taskManagement(TaskManagementFunction.CLEAR_ACA, 1, -1, 0));
    assertThat(response(target.receivedOne())).isEqualTo(FUNCTION_COMPLETE);
    target.send(target.taskManagement(TaskManagementFunction.TASK_REASSIGN, 1, 5, 0));
    assertThat(response(target.receivedOne())).isEqualTo(REASSIGNMENT_NOT_SUPPORTED);
  }
}
