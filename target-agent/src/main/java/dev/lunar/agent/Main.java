package dev.lunar.agent;

import dev.lunar.agent.daemon.Version;
import java.util.Arrays;

/** Entry point of the agent jar: one process, several roles, chosen by the first argument. */
public final class Main {

  private static final String USAGE =
      """
      Usage: java -jar target-agent.jar COMMAND [OPTIONS]

      Lunar's iSCSI target agent.

      Commands:
        tgtd      run the iSCSI target daemon (tgtd-compatible options: -f, -C N,
                  --iscsi portal=HOST:PORT, --state-dir DIR, --config FILE, --metrics-address HOST:PORT)
        tgtadm    configure a running daemon (tgtadm-compatible: --lld iscsi --mode ... --op ...)
        node      run as the Kubernetes node agent: serve what this node's IscsiNode asks
        csi-node  run the CSI driver's node plugin (CSI Node + kubelet plugin registration)
        train     serve a built-in workload over loopback for a few seconds and exit: the training
                  run of the JDK AOT cache (java -XX:AOTCacheOutput=FILE -jar target-agent.jar train)
        version   print the agent version

      Run 'java -jar target-agent.jar COMMAND --help' for a command's options.
      """;

  private Main() {}

  public static void main(String[] args) {
    int status = run(args);
    if (status == 0 && args[0].equals("train")) {
      // A training run that went well ends by returning, with nothing left running: System.exit
      // logs the exit through System.Logger, whose classes would join the AOT cache the run is
      // writing although a daemon loads them only as it exits.
      return;
    }
    System.exit(status);
  }

  static int run(String[] args) {
    if (args.length == 0) {
      System.err.print(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "-h", "--help", "help" -> {
        System.out.print(USAGE);
        yield 0;
      }
      case "version", "--version" -> {
        System.out.println("lunar target-agent " + Version.current());
        yield 0;
      }
      case "tgtd" -> TgtdCommand.run(rest);
      case "tgtadm" -> dev.lunar.agent.tgtadm.TgtadmCommand.run(rest);
      case "node" -> NodeCommand.run(rest);
      case "csi-node" -> CsiNodeCommand.run(rest);
      case "train" -> dev.lunar.agent.training.TrainingRun.run(rest);
      default -> {
        System.err.println("unknown command: " + args[0]);
        System.err.print(USAGE);
        yield 2;
      }
    };
  }
}
