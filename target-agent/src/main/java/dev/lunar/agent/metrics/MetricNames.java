package dev.lunar.agent.metrics;

/**
 * Every meter name and tag key the agent publishes, in Micrometer's dotted form. The Prometheus
 * registry renders {@code lunar.scsi.read.operations} as {@code lunar_scsi_read_operations_total}
 * and timers in seconds; dashboards and alerts depend on the rendered names, so they change only
 * together with them.
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
