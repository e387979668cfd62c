package dev.lunar.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lunar.agent.scsi.Nexus;
import dev.lunar.agent.scsi.ScsiRequest;
import dev.lunar.agent.scsi.ScsiResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScsiStatsTest {

  private static final String TARGET = "iqn.2026-01.dev.lunar:disk";
  private static final Nexus NEXUS = new Nexus("iqn.init", 1, TARGET, 1);
  private static final byte[] READ_10 = {0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0};
  private static final byte[] WRITE_10 = {0x2a, 0, 0, 0, 0, 0, 0, 0, 8, 0};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScsiStats stats = new ScsiStats(registry);

  private void run(byte[] cdb, ByteBuf dataOut, int expectedIn, ScsiResult result) {
    ScsiRequest request = new ScsiRequest(NEXUS, cdb, dataOut, expectedIn, 1, 7);
    IoMeter.start(stats, TARGET, 1, request).completed(result);
  }

  private double value(String name) {
    return registry.get(name).tag(MetricNames.LUN, "1").counter().count();
  }

  @Test
  void aReadCountsTheDataInTheInitiatorReceives() {
    // The unit produced 8 KiB but the initiator asked for 4 KiB: 4 KiB moved.
    run(
        READ_10,
        null,
        4096,
        new ScsiResult(ScsiResult.GOOD, Unpooled.buffer(8192).writerIndex(8192), null, 0));
    assertThat(value(MetricNames.READ_OPERATIONS)).isEqualTo(1);
    assertThat(value(MetricNames.READ_BYTES)).isEqualTo(4096);
    assertThat(value(MetricNames.WRITE_OPERATIONS)).isZero();
  }

  @Test
  void aWriteCountsTheDataOutTheMediumTook() {
    run(
        WRITE_10,
        Unpooled.buffer(4096).writerIndex(4096),
        0,
        new ScsiResult(ScsiResult.GOOD, null, null, 4096));
    assertThat(value(MetricNames.WRITE_OPERATIONS)).isEqualTo(1);
    assertThat(value(MetricNames.WRITE_BYTES)).isEqualTo(4096);
  }

  @Test
  void aFailedCommandCountsAsAnOperationThatMovedNothing() {
    byte[] illegalRequest = new byte[18];
    illegalRequest[0] = 0x70;
    illegalRequest[2] = 0x05;
    run(
        WRITE_10,
        Unpooled.buffer(4096).writerIndex(4096),
        0,
        new ScsiResult(ScsiResult.CHECK_CONDITION, null, illegalRequest, 4096));
    assertThat(value(MetricNames.WRITE_OPERATIONS)).isEqualTo(1);
    assertThat(value(MetricNames.WRITE_BYTES)).isZero();
    assertThat(value(MetricNames.STORAGE_ERRORS)).isZero();
  }

  @Test
  void aMediumErrorIsABackingStoreErrorInEitherSenseFormat() {
    byte[] fixed = new byte[18];
    fixed[0] = 0x70;
    fixed[2] = 0x03;
    byte[] descriptor = {0x72, 0x03, 0x11, 0x00, 0, 0, 0, 0};
    run(READ_10, null, 4096, new ScsiResult(ScsiResult.CHECK_CONDITION, null, fixed, 0));
    run(READ_10, null, 4096, new ScsiResult(ScsiResult.CHECK_CONDITION, null, descriptor, 0));
    assertThat(value(MetricNames.STORAGE_ERRORS)).isEqualTo(2);
  }

  @Test
  void latencyFillsTheHistogramOfTheOperation() {
    run(
        READ_10,
        null,
        512,
        new ScsiResult(ScsiResult.GOOD, Unpooled.buffer(512).writerIndex(512), null, 0));
    assertThat(registry.get(MetricNames.IO_LATENCY).tag(MetricNames.OP, "read").timer().count())
        .isEqualTo(1);
    assertThat(registry.get(MetricNames.IO_LATENCY).tag(MetricNames.OP, "write").timer().count())
        .isZero();
  }

  @Test
  void prometheusSeesTheContractNames() {
    run(
        READ_10,
        null,
        512,
        new ScsiResult(ScsiResult.GOOD, Unpooled.buffer(512).writerIndex(512), null, 0));
    String text = registry.scrape();
    String tags = "lun=\"1\",target=\"" + TARGET + "\"";
    assertThat(text)
        .contains("lunar_scsi_read_operations_total{" + tags + "} 1.0")
        .contains("lunar_scsi_read_bytes_total{" + tags + "} 512.0")
        .contains("lunar_scsi_write_operations_total{" + tags + "} 0.0")
        .contains("lunar_scsi_write_bytes_total{" + tags + "} 0.0")
        .contains("lunar_storage_errors_total{" + tags + "} 0.0")
        .contains(
            "lunar_scsi_io_seconds_bucket{lun=\"1\",op=\"read\",target=\""
                + TARGET
                + "\",le=\"1.0E-4\"}")
        .contains(
            "lunar_scsi_io_seconds_bucket{lun=\"1\",op=\"read\",target=\""
                + TARGET
                + "\",le=\"10.0\"}");
  }

  @Test
  void metersOfARemovedLunLeaveTheRegistry() {
    stats.lun(TARGET, 1);
    stats.lun(TARGET, 2);
    stats.lun("iqn.2026-01.dev.lunar:gone", 1);
    stats.retain(Map.of(TARGET, List.of(0, 1)));
    assertThat(registry.find(MetricNames.READ_OPERATIONS).counters())
        .extracting(c -> c.getId().getTag(MetricNames.TARGET) + "/" + c.getId().getTag("lun"))
        .containsExactly(TARGET + "/1");
    assertThat(registry.find(MetricNames.IO_LATENCY).timers()).hasSize(3);
  }

  @Test
  void aLunComingBackGetsFreshMeters() {
    stats.lun(TARGET, 1).completed(ScsiOperation.READ, 512, 1000, false);
    stats.retain(Map.of());
    stats.lun(TARGET, 1);
    assertThat(value(MetricNames.READ_OPERATIONS)).isZero();
  }
}
