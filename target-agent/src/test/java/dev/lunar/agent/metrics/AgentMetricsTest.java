package dev.lunar.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.scsi.Nexus;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

  private static final String TARGET = "iqn.2026-01.dev.lunar:disk";
  private static final byte[] WRITE_10 = {0x2a, 0, 0, 0, 0, 0, 0, 0, 8, 0};

  @Test
  void disabledMetricsTakeEveryEventAndMeterNoCommand() {
    AgentMetrics metrics = AgentMetrics.disabled();
    IscsiStats iscsi = metrics.iscsi();
    iscsi.login(TARGET, "iqn.init", true, "success");
    iscsi.r2t(TARGET);
    iscsi.dataOut(TARGET);
    iscsi.digestError(TARGET, true);
    iscsi.taskManagement(TARGET, 1);
    iscsi.trackTarget(TARGET, () -> 1, () -> 1);
    iscsi.retainTargets(Set.of());
    metrics.scsi().track(TARGET, 1);
    metrics.retain(Map.of(TARGET, List.of(1)));

    ScsiRequest write =
        new ScsiRequest(
            new Nexus("iqn.init", 1, TARGET, 1),
            WRITE_10,
            Unpooled.buffer(4096).writerIndex(4096),
            0,
            1,
            7);
    IoMeter meter = IoMeter.start(metrics.scsi(), TARGET, 1, write);
    assertThat(meter).isSameAs(IoMeter.NONE);
    meter.completed(new ScsiResult(ScsiResult.GOOD, null, null, 4096));
    assertThat(metrics.scrape()).isEmpty();
    metrics.close();
  }
}
