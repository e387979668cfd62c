package dev.lunar.agent.iscsi;

import dev.lunar.agent.iscsi.pdu.DataPlacement;
import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.session.Connection;
import dev.lunar.agent.iscsi.session.ConnectionGuard;
import dev.lunar.agent.iscsi.session.ConnectionServices;
import dev.lunar.agent.iscsi.session.Session;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iSCSI portals: one listening socket per portal, one pipeline per connection (decoder,
 * encoder, idle detection, connection state machine). Uses the native epoll transport where Netty
 * has it and NIO otherwise.
 */
public final class IscsiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IscsiServer.class);

  /** Quiet time before a NOP-In ping; a second quiet period closes the connection. */
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(15);

  /**
   * Idle periods R2Ts may stay open without any Data-Out before the connection is dropped: 30 s at
   * the default idle time. A write's data follows its R2T within milliseconds on a live link.
   */
  static final int DATA_OUT_IDLE_PERIODS = 2;

  /** How long initiators get to log out after the Async Message that asks them to. */
  static final int LOGOUT_SECONDS = 2;

  private final EventLoopGroup group;
  private final List<Channel> listeners;
  private final ConnectionServices services;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private IscsiServer(EventLoopGroup group, List<Channel> listeners, ConnectionServices services) {
    this.group = group;
    this.listeners = listeners;
    this.services = services;
  }

  /** Binds every portal with the default idle time. */
  public static IscsiServer start(List<InetSocketAddress> portals, ConnectionServices services)
      throws InterruptedException {
    return start(portals, services, DEFAULT_IDLE);
  }

  /** Binds every portal; fails (and releases what it bound) if any portal cannot be bound. */
  public static IscsiServer start(
      List<InetSocketAddress> portals, ConnectionServices services, Duration idle)
      throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
    ConnectionGuard guard = ConnectionGuard.defaults();
    List<Channel> listeners = new ArrayList<>();
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 128)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      DataPlacement placement = new DataPlacement();
                      ch.config().setRecvByteBufAllocator(placement);
                      ch.pipeline()
                          .addLast(guard)
                          .addLast(
                              new IdleStateHandler(idle.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                          .addLast(new PduDecoder(placement))
                          .addLast(new PduEncoder())
                          .addLast(
                              new Connection(services, idle.multipliedBy(DATA_OUT_IDLE_PERIODS)));
                    }
                  });
      for (InetSocketAddress portal : portals) {
        listeners.add(bootstrap.bind(portal).sync().channel());
        log.info(
            "iSCSI portal listening on {}:{} ({})",
            portal.getHostString(),
            portal.getPort(),
            epoll ? "epoll" : "nio");
      }
      return new IscsiServer(group, listeners, services);
    } catch (RuntimeException | InterruptedException e) {
      for (Channel c : listeners) {
        c.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The addresses actually bound (port 0 resolves to a real port). */
  public List<InetSocketAddress> boundAddresses() {
    return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /**
   * Stops accepting, asks every logged-in initiator to log out (Async Message, RFC 7143 section
   * 11.9), waits a bounded time for them to do so, then closes whatever is left.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Channel c : listeners) {
      c.close().syncUninterruptibly();
    }
    Collection<Session> sessions = services.sessions().all();
    for (Session session : sessions) {
      session.requestLogout(LOGOUT_SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOGOUT_SECONDS + 1);
    while (!services.sessions().all().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Session session : services.sessions().all()) {
      session.close("target shutting down");
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
