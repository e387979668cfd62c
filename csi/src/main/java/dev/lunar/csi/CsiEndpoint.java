package dev.lunar.csi;

import io.grpc.BindableService;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CSI endpoint: gRPC over the Unix socket that kubelet and the sidecars dial ({@code
 * unix:///csi/csi.sock}), on Netty's epoll transport. A stale socket file left by an earlier
 * process is replaced; the socket is removed again on {@link #close()}.
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

  /** Serves {@code services} on {@code socket}; one event loop is plenty for CSI's few calls. */
  public static CsiEndpoint serve(Path socket, List<BindableService> services) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Files.createDirectories(socket.toAbsolutePath().getParent());
      Files.deleteIfExists(socket);
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(group)
              .workerEventLoopGroup(group);
      services.forEach(builder::addService);
      CsiEndpoint endpoint = new CsiEndpoint(socket, builder.build().start(), group);
      warmUp(socket, group);
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

  /**
   * One connection to ourselves before anyone else dials: the sidecars give a new connection a
   * second for the server's HTTP/2 settings and exit when they are late, which a JVM loading the
   * HTTP/2 classes on a busy node can be. Best effort: a failure here only costs that speed-up.
   */
  private static void warmUp(Path socket, EventLoopGroup group) {
    ManagedChannel channel = channelTo(socket, group).build();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      ConnectivityState state = channel.getState(true);
      while (state != ConnectivityState.READY && System.nanoTime() < deadline) {
        Thread.sleep(10);
        state = channel.getState(true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      channel.shutdownNow();
    }
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
