package dev.lunar.agent.iscsi;

import dev.lunar.agent.iscsi.pdu.PduDecoder;
import dev.lunar.agent.iscsi.pdu.PduEncoder;
import dev.lunar.agent.iscsi.session.Connection;
import dev.lunar.agent.iscsi.session.ConnectionServices;
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
import java.util.ArrayList;
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

  /** Seconds without traffic before a NOP-In ping; a second quiet period closes the connection. */
  static final int IDLE_SECONDS = 15;

  private final EventLoopGroup group;
  private final List<Channel> listeners;

  private IscsiServer(EventLoopGroup group, List<Channel> listeners) {
    this.group = group;
    this.listeners = listeners;
  }

  /** Binds every portal; fails (and releases what it bound) if any portal cannot be bound. */
  public static IscsiServer start(List<InetSocketAddress> portals, ConnectionServices services)
      throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
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
                      ch.pipeline()
                          .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                          .addLast(new PduDecoder())
                          .addLast(new PduEncoder())
                          .addLast(new Connection(services));
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
      return new IscsiServer(group, listeners);
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

  @Override
  public void close() {
    for (Channel c : listeners) {
      c.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
