package dev.lunar.agent.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.iscsi.pdu.Pdu;
import dev.lunar.agent.iscsi.pdu.ReadyToTransfer;
import dev.lunar.agent.iscsi.pdu.TaskManagementFunction;
import dev.lunar.agent.iscsi.pdu.TaskManagementRequest;
import dev.lunar.agent.iscsi.pdu.TaskManagementResponse;
import dev.lunar.agent.iscsi.session.LunAddress;
import dev.lunar.agent.metrics.AgentMetrics;
import dev.lunar.agent.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session layer's hooks, over TCP: what one login, one write and one reset count. */
class SessionMetricsTest {

  private static final long ISID = 0x23d000000077L;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void loginWriteAndResetAreCountedForTheTarget() throws Exception {
    AgentMetrics metrics = new AgentMetrics(registry, false);
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), Map.of(), metrics);
        RawInitiator initiator = target.initiator()) {
      initiator.login(
          InProcessTarget.IQN,
          ISID,
          0,
          0,
          Map.of("ImmediateData", "No", "InitialR2T", "Yes", "MaxBurstLength", "16384"));
      initiator.send(
          Pdus.testUnitReady(initiator.nextItt(), initiator.takeCmdSn(), initiator.expStatSn()));
      initiator.receive(WAIT); // the power-on unit attention

      initiator.send(
          Pdus.write10(
              initiator.nextItt(),
              initiator.takeCmdSn(),
              initiator.expStatSn(),
              0,
              64,
              Unpooled.EMPTY_BUFFER,
              true));
      byte[] content = new byte[64 * 512];
      Pdu pdu = initiator.receive(WAIT);
      while (pdu instanceof ReadyToTransfer r2t) {
        FullFeaturePhaseTest.sendBurst(initiator, r2t, content);
        pdu = initiator.receive(WAIT);
      }
      assertThat(Pdus.statusOf(pdu)).isZero();

      initiator.send(
          new TaskManagementRequest(
              true,
              TaskManagementFunction.LOGICAL_UNIT_RESET,
              LunAddress.encode(1),
              initiator.nextItt(),
              -1,
              initiator.cmdSn(),
              initiator.expStatSn(),
              0,
              0));
      assertThat(initiator.receive(WAIT)).isInstanceOf(TaskManagementResponse.class);

      String iqn = InProcessTarget.IQN;
      assertThat(count(MetricNames.LOGINS, "target", iqn, "result", "success")).isEqualTo(1);
      assertThat(count(MetricNames.R2T, "target", iqn)).isEqualTo(2); // 32 KiB in 16 KiB bursts
      assertThat(count(MetricNames.DATA_OUT, "target", iqn)).isEqualTo(4); // 8 KiB PDUs
      assertThat(count(MetricNames.WRITE_OPERATIONS, "target", iqn, "lun", "1")).isEqualTo(1);
      assertThat(count(MetricNames.WRITE_BYTES, "target", iqn, "lun", "1")).isEqualTo(32768);
      assertThat(count(MetricNames.TASK_MANAGEMENT, "function", "logical_unit_reset")).isEqualTo(1);
      // TEST UNIT READY moved no data but was timed.
      assertThat(registry.get(MetricNames.IO_LATENCY).tag("op", "other").timer().count())
          .isEqualTo(1);
    }
  }

  @Test
  void aLoginToAnUnknownTargetIsAFailureWithoutItsName() throws Exception {
    AgentMetrics metrics = new AgentMetrics(registry, false);
    try (InProcessTarget target = new InProcessTarget(Duration.ofSeconds(30), Map.of(), metrics);
        RawInitiator initiator = target.initiator()) {
      initiator.login("iqn.2026-11.dev.lunar.test:nobody", ISID, 0, 0, Map.of());
      assertThat(initiator.closedWithin(WAIT)).isTrue();
      assertThat(
              count(
                  MetricNames.LOGINS,
                  "target",
                  "unknown",
                  "result",
                  "failure",
                  "reason",
                  "target_not_found"))
          .isEqualTo(1);
    }
  }
}
