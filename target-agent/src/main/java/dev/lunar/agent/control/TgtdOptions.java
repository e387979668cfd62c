package dev.lunar.agent.control;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's command line: tgtd's own options plus Lunar's.
 *
 * <pre>
 * -f, --foreground            stay in the foreground (also -D, --nodaemonize)
 * -C, --control-port N        control port N (0..32767), socket tgtd.N.sock
 * -t, --nr_iothreads N        accepted for tgtd compatibility
 * -p, --pid-file FILE         write the pid there
 * -d, --debug N               debug level (0 off)
 * -V, --version / -h, --help
 * --iscsi portal=HOST:PORT[,portal=HOST:PORT...]   listen there (default 0.0.0.0:3260)
 * --metrics-address HOST:PORT                     serve Prometheus metrics there
 * --state-dir DIR                                 persist the target set there
 * --config FILE                                   YAML target set to apply at start
 * </pre>
 *
 * @param foreground stay in the foreground (the daemon never forks; kept for scripts)
 * @param controlPort tgtadm's {@code -C}
 * @param portals iSCSI listen addresses, never empty
 * @param metricsAddress where to serve metrics, or {@code null} for nowhere
 * @param stateDir the state directory, or {@code null} for no persistence
 * @param config the YAML config file, or {@code null}
 * @param debug debug level, 0 for off
 * @param pidFile pid file, or {@code null}
 * @param help print usage and exit
 * @param version print the version and exit
 */
public record TgtdOptions(
    boolean foreground,
    int controlPort,
    List<HostPort> portals,
    HostPort metricsAddress,
    Path stateDir,
    Path config,
    int debug,
    Path pidFile,
    boolean help,
    boolean version) {

  /** The iSCSI well-known port, where tgtd listens by default. */
  public static final int ISCSI_PORT = 3260;

  public static final String USAGE =
      """
      Usage: tgtd [OPTION]
      -f, --foreground        run in the foreground
      -D, --nodaemonize       run in the foreground (same as -f)
      -C, --control-port NNNN use port NNNN for the mgmt channel
      -t, --nr_iothreads NNNN accepted for compatibility
      -p, --pid-file filename specify the pid file
      -d, --debug debuglevel  print debugging information
      -V, --version           print version and exit
      -h, --help              display this help and exit
      --iscsi portal=HOST:PORT[,portal=HOST:PORT]  listen for iSCSI there (default 0.0.0.0:3260)
      --metrics-address HOST:PORT                 serve Prometheus metrics there
      --state-dir DIR                             persist the configuration there, restore at start
      --config FILE                               apply this YAML configuration at start
      """;

  public TgtdOptions {
    portals = List.copyOf(portals);
  }

  /** A listen address; {@code host} is a name or an IP literal without brackets. */
  public record HostPort(String host, int port) {

    /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    public static HostPort parse(String text, String what) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new IllegalArgumentException(what + " must be HOST:PORT, not '" + text + "'");
      }
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException(what + ": write an IPv6 address as [ADDR]:PORT");
      }
      return new HostPort(host, (int) number(text.substring(colon + 1), what + " port", 1, 65535));
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException with a message fit for the user, for any bad input
   */
  public static TgtdOptions parse(String[] args) {
    boolean foreground = false;
    int controlPort = 0;
    List<HostPort> portals = new ArrayList<>();
    HostPort metrics = null;
    Path stateDir = null;
    Path config = null;
    int debug = 0;
    Path pidFile = null;
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String attached = null;
      if (arg.startsWith("--") && arg.indexOf('=') > 0) {
        name = arg.substring(0, arg.indexOf('='));
        attached = arg.substring(arg.indexOf('=') + 1);
      } else if (arg.length() > 2 && arg.charAt(0) == '-' && arg.charAt(1) != '-') {
        name = arg.substring(0, 2);
        attached = arg.substring(2);
      }
      switch (name) {
        case "-f", "--foreground", "-D", "--nodaemonize" -> foreground = true;
        case "-h", "--help" -> help = true;
        case "-V", "--version" -> version = true;
        case "-C",
            "--control-port",
            "-t",
            "--nr_iothreads",
            "-p",
            "--pid-file",
            "-d",
            "--debug",
            "--iscsi",
            "--metrics-address",
            "--state-dir",
            "--config" -> {
          String value = attached;
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + name + " needs a value");
            }
            value = args[++i];
          }
          switch (name) {
            case "-C", "--control-port" -> controlPort = controlPort(value);
            case "-t", "--nr_iothreads" -> number(value, "number of I/O threads", 1, 1024);
            case "-p", "--pid-file" -> pidFile = Path.of(value);
            case "-d", "--debug" -> debug = (int) number(value, "debug level", 0, 9);
            case "--iscsi" -> portals.addAll(iscsi(value));
            case "--metrics-address" -> metrics = HostPort.parse(value, "--metrics-address");
            case "--state-dir" -> stateDir = Path.of(value);
            case "--config" -> config = Path.of(value);
            default -> throw new IllegalStateException(name);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (portals.isEmpty()) {
      portals.add(new HostPort("0.0.0.0", ISCSI_PORT));
    }
    return new TgtdOptions(
        foreground, controlPort, portals, metrics, stateDir, config, debug, pidFile, help, version);
  }

  /** tgtd's iSCSI driver options: {@code portal=HOST:PORT}, comma separated. */
  private static List<HostPort> iscsi(String value) {
    List<HostPort> portals = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.startsWith("portal=")) {
        throw new IllegalArgumentException(
            "--iscsi accepts portal=HOST:PORT items only, not '" + item + "'");
      }
      portals.add(HostPort.parse(item.substring("portal=".length()), "--iscsi portal"));
    }
    return portals;
  }

  /** tgtd's wording; its control port is a signed short, so 0..32767. */
  private static int controlPort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= Short.MAX_VALUE) {
        return port;
      }
      throw new IllegalArgumentException("-C argument value '" + text + "' out of range");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-C argument value '" + text + "' invalid");
    }
  }

  private static long number(String text, String what, long min, long max) {
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        what + " must be " + min + ".." + max + ", not '" + text + "'");
  }
}
