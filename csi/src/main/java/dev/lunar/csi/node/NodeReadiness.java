package dev.lunar.csi.node;

import dev.lunar.csi.Readiness;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import pluginregistration.Api.RegistrationStatus;

/**
 * Whether the node plugin can stage volumes now, from a few file checks (a probe must stay cheap):
 * iscsiadm is on the PATH, the staging records' directory is writable, kubelet can still find the
 * registration socket, and kubelet did not refuse the driver. Each failing one is something a
 * restart of the container mends or makes plain in its log, which is what a liveness probe is for;
 * node-driver-registrar likewise exits when kubelet refuses it.
 */
final class NodeReadiness implements Readiness {

  private final List<Path> executableDirs;
  private final Path stateDir;
  private final Path registrationSocket;
  private final Supplier<Optional<RegistrationStatus>> registration;

  /**
   * @param executableDirs where iscsiadm is looked for: the directories of {@code PATH}
   * @param stateDir the staging records' directory
   * @param registrationSocket the socket kubelet's plugin watcher found
   * @param registration kubelet's last word on the registration, if it said one
   */
  NodeReadiness(
      List<Path> executableDirs,
      Path stateDir,
      Path registrationSocket,
      Supplier<Optional<RegistrationStatus>> registration) {
    this.executableDirs = List.copyOf(executableDirs);
    this.stateDir = stateDir;
    this.registrationSocket = registrationSocket;
    this.registration = registration;
  }

  /** The directories of this process's {@code PATH}, as ProcessBuilder searches them. */
  static List<Path> pathDirs() {
    String path = System.getenv("PATH");
    if (path == null || path.isEmpty()) {
      return List.of();
    }
    return List.of(path.split(File.pathSeparator)).stream()
        .filter(s -> !s.isEmpty())
        .map(Path::of)
        .toList();
  }

  @Override
  public Optional<String> problem() {
    if (executableDirs.stream().noneMatch(d -> Files.isExecutable(d.resolve(Iscsiadm.COMMAND)))) {
      return Optional.of(
          Iscsiadm.COMMAND + " is not on the PATH (" + executableDirs + "): open-iscsi is missing");
    }
    if (!Files.isDirectory(stateDir) || !Files.isWritable(stateDir)) {
      return Optional.of(
          "the staging state directory " + stateDir + " is not a writable directory");
    }
    if (!Files.exists(registrationSocket)) {
      return Optional.of(
          "the registration socket "
              + registrationSocket
              + " is gone: kubelet cannot find the driver again");
    }
    Optional<RegistrationStatus> status = registration.get();
    if (status.isPresent() && !status.get().getPluginRegistered()) {
      return Optional.of("kubelet refused the driver: " + status.get().getError());
    }
    return Optional.empty();
  }
}
