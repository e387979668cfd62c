package dev.lunar.csi;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A gRPC client channel over a Unix socket, as kubelet and the sidecars dial the plugin. */
public final class UnixChannel implements AutoCloseable {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final ManagedChannel channel;

  public UnixChannel(Path socket) {
    channel = CsiEndpoint.channelTo(socket, group).build();
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
