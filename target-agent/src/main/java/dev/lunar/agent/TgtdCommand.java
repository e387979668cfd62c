package dev.lunar.agent;

import dev.lunar.agent.control.ConfigException;
import dev.lunar.agent.control.TgtdOptions;
import dev.lunar.agent.daemon.TgtdDaemon;
import dev.lunar.agent.daemon.Version;
import java.io.IOException;

/** {@code tgtd}: runs the daemon in the foreground until SIGTERM, SIGINT or tgtadm stops it. */
final class TgtdCommand {

  private TgtdCommand() {}

  static int run(String[] args) {
    TgtdOptions options;
    try {
      options = TgtdOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("tgtd: " + e.getMessage());
      System.err.print(TgtdOptions.USAGE);
      return 1;
    }
    if (options.help()) {
      System.out.print(TgtdOptions.USAGE);
      return 0;
    }
    if (options.version()) {
      System.out.println(Version.current());
      return 0;
    }
    TgtdDaemon daemon;
    try {
      daemon = TgtdDaemon.start(options);
    } catch (IOException | ConfigException e) {
      System.err.println("tgtd: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    daemon.stopOnShutdown();
    try {
      daemon.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      daemon.close();
    }
    return 0;
  }
}
