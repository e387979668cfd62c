package dev.lunar.csi;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CSI endpoint: gRPC over the Unix socket that kubelet and the sidecars dial ({@code
 * unix:///csi/csi.sock}), on Netty's epoll transport. A stale socket file left by an earlier
 * process is replaced; the socket appears only once it answers, and is removed again on {@link
 * #close()}.
 */
public final class CsiEndpoint implements AutoCloseable {

  private final Path socket;
  private final Server server;
  private final EventLoopGroup group;

  private CsiEndpoint(Path socket, Server server, EventLoopGroup group) {
    this.socket = socket;
    this.server = server;
    this.group = group;
  }

  /**
   * Serves {@code services} on {@code socket}; one event loop is plenty for CSI's few calls. The
   * server listens on a hidden name beside {@code socket} first, answers its own first calls there
   * ({@link EndpointWarmUp} says why), and only then is renamed into place: a bound socket keeps
   * listening through a rename, and kubelet's plugin watcher ignores names that start with a dot.
   */
  public static CsiEndpoint serve(Path socket, List<BindableService> services) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Path starting = socket.resolveSibling("." + socket.getFileName() + ".starting");
    try {
      Files.createDirectories(socket.toAbsolutePath().getParent());
      Files.deleteIfExists(socket);
      Files.deleteIfExists(starting);
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new DomainSocketAddress(starting.toFile()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group);
      List<ServerServiceDefinition> definitions =
          services.stream().map(BindableService::bindService).toList();
      definitions.forEach(builder::addService);
      CsiEndpoint endpoint = new CsiEndpoint(socket, builder.build().start(), group);
      try {
        EndpointWarmUp.run(starting, group, definitions);
        Files.move(starting, socket, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        endpoint.close();
        throw new UncheckedIOException("cannot publish the CSI socket " + socket, e);
      }
      return endpoint;
    } catch (IOException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new UncheckedIOException("cannot serve CSI on " + socket, e);
    }
  }

  /**
   * A plaintext gRPC client over the Unix socket {@code socket}, on {@code group}'s epoll loop: how
   * kubelet and the sidecars reach a CSI plugin, and how Lunar dials its own.
   */
  public static NettyChannelBuilder channelTo(Path socket, EventLoopGroup group) {
    return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
        .channelType(EpollDomainSocketChannel.class)
        .eventLoopGroup(group)
        .usePlaintext();
  }

  public Path socket() {
    return socket;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      try {
        Files.deleteIfExists(socket);
      } catch (IOException ignored) {
        // the directory went away with the pod
      }
    }
  }
}
