package dev.lunar.operator.csi;

import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.operator.LoggedDaemon;
import dev.lunar.operator.RealApiServer;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the control plane runs around a CSI controller, as processes against a test API server:
 * kube-controller-manager with only the controllers a claim's life needs, and the real
 * external-provisioner and external-attacher (built by operator/src/test/go/csi-tools/build.sh) on
 * the controller's socket. Always stopped by {@link #close}, which keeps their logs in {@code
 * target/}.
 */
final class CsiSidecars implements AutoCloseable {

  private static final List<String> SIDECARS = List.of("csi-provisioner", "csi-attacher");

  private final Path dir;
  private final Path keptLogs;
  private final List<LoggedDaemon> daemons = new ArrayList<>();

  private CsiSidecars(Path dir, Path keptLogs) {
    this.dir = dir;
    this.keptLogs = keptLogs;
  }

  /** Whether setup.sh (or build.sh) built the sidecars here. */
  static boolean built() {
    return SIDECARS.stream().allMatch(s -> Files.isExecutable(RealApiServer.csiTools().resolve(s)));
  }

  /**
   * Starts them on {@code socket}, logging into {@code dir}; on close the logs are copied to {@code
   * keptLogs}.
   */
  static CsiSidecars start(RealApiServer apiServer, Path socket, Path dir, Path keptLogs) {
    CsiSidecars started = new CsiSidecars(dir, keptLogs);
    try {
      started.startAll(apiServer, socket);
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  private void startAll(RealApiServer apiServer, Path socket) {
    Path kubeconfig;
    try {
      kubeconfig =
          Files.writeString(dir.resolve("sidecars.kubeconfig"), apiServer.kubeConfigYaml());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    warmUp(socket);
    // Binding, the protection finalizers' removal (a claim or PV never goes without it), and the
    // garbage collector, which deletes a volume's Secret with its target.
    daemons.add(
        LoggedDaemon.start(
            dir.resolve("kube-controller-manager.log"),
            List.of(
                apiServer.binaries().resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                "--controllers=persistentvolume-binder-controller,"
                    + "persistentvolumeclaim-protection-controller,"
                    + "persistentvolume-protection-controller,garbage-collector-controller",
                "--leader-elect=false",
                "--secure-port=0",
                "--v=2")));
    for (String sidecar : SIDECARS) {
      List<String> command = new ArrayList<>();
      command.add(RealApiServer.csiTools().resolve(sidecar).toString());
      command.addAll(
          List.of(
              "--csi-address=" + socket,
              "--kubeconfig=" + kubeconfig,
              "--leader-election=false",
              "--timeout=60s",
              "--v=4"));
      if (sidecar.equals("csi-provisioner")) {
        // The claim's and PV's names as csi.storage.k8s.io/ parameters, which CreateVolume
        // must let through.
        command.add("--extra-create-metadata");
      }
      daemons.add(LoggedDaemon.start(dir.resolve(sidecar + ".log"), command));
    }
  }

  /** Fails with the end of its log when one of them exited. */
  void assertRunning() {
    daemons.forEach(LoggedDaemon::assertRunning);
  }

  /** Each one's log so far, by name. */
  Map<String, String> logs() {
    Map<String, String> logs = new LinkedHashMap<>();
    daemons.forEach(d -> logs.put(d.toString(), d.log()));
    return logs;
  }

  @Override
  public void close() {
    daemons.forEach(LoggedDaemon::close);
    try {
      Files.createDirectories(keptLogs);
      try (var files = Files.list(dir)) {
        for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
          Files.copy(log, keptLogs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.err.println("CsiSidecars: could not keep the logs: " + e);
    }
  }

  /**
   * One Probe over the socket before the sidecars dial it. The sidecars give a new connection 1 s
   * for the server's HTTP/2 preface (csi-lib-utils sets no minimum connect timeout, so grpc-go's
   * first backoff step is the deadline) and exit when it does not come; a JVM whose grpc-netty has
   * not served a connection yet can take longer than that on a loaded machine.
   */
  private static void warmUp(Path socket) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    ManagedChannel channel = CsiEndpoint.channelTo(socket, group).build();
    try {
      IdentityGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .probe(ProbeRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
