package dev.lunar.agent.metrics;

/**
 * Every meter name and tag key the agent publishes, in Micrometer's dotted form. The Prometheus
 * registry renders them as below; dashboards and alerts depend on the rendered names, so they
 * change only together with them.
 *
 * <pre>
 * lunar_scsi_read_operations_total     counter    target, lun
 * lunar_scsi_write_operations_total    counter    target, lun
 * lunar_scsi_read_bytes_total          counter    target, lun
 * lunar_scsi_write_bytes_total         counter    target, lun
 * lunar_scsi_io_seconds                histogram  target, lun, op=read|write|other (100 µs..10 s)
 * lunar_storage_errors_total           counter    target, lun
 * lunar_iscsi_sessions                 gauge      target
 * lunar_iscsi_connections              gauge      target
 * lunar_iscsi_logins_total             counter    target, result=success|failure, reason
 *                                                 (+ initiator with LUNAR_METRICS_PER_INITIATOR)
 * lunar_iscsi_r2t_total                counter    target
 * lunar_iscsi_data_out_total           counter    target
 * lunar_iscsi_task_management_total    counter    target, function
 * lunar_iscsi_digest_errors_total      counter    target, kind=header|data
 * </pre>
 *
 * <p>{@code target} is the target IQN, {@code discovery} for discovery sessions and {@code unknown}
 * for logins refused before they named a configured target; {@code lun} is the LUN number.
 */
public final class MetricNames {

  public static final String READ_OPERATIONS = "lunar.scsi.read.operations";
  public static final String WRITE_OPERATIONS = "lunar.scsi.write.operations";
  public static final String READ_BYTES = "lunar.scsi.read.bytes";
  public static final String WRITE_BYTES = "lunar.scsi.write.bytes";
  public static final String IO_LATENCY = "lunar.scsi.io";
  public static final String STORAGE_ERRORS = "lunar.storage.errors";

  public static final String SESSIONS = "lunar.iscsi.sessions";
  public static final String CONNECTIONS = "lunar.iscsi.connections";
  public static final String LOGINS = "lunar.iscsi.logins";
  public static final String R2T = "lunar.iscsi.r2t";
  public static final String DATA_OUT = "lunar.iscsi.data.out";
  public static final String TASK_MANAGEMENT = "lunar.iscsi.task.management";
  public static final String DIGEST_ERRORS = "lunar.iscsi.digest.errors";

  public static final String TARGET = "target";
  public static final String LUN = "lun";
  public static final String OP = "op";
  public static final String RESULT = "result";
  public static final String REASON = "reason";
  public static final String FUNCTION = "function";
  public static final String KIND = "kind";
  public static final String INITIATOR = "initiator";

  private MetricNames() {}
}
