package dev.lunar.agent.iscsi.session;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what a hostile initiator can hold before it has logged in: at most {@link #maxPerAddress}
 * open connections per initiator address (further ones are closed at once, before a byte is read),
 * and {@link #loginDeadline} from accept to the full feature phase, whatever the initiator keeps
 * sending (a login that trickles a byte at a time still ends). One instance serves every connection
 * of a server; it goes first in each pipeline.
 */
@Sharable
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  /** Connections one address may hold open; open-iscsi uses one or a few per session. */
  public static final int DEFAULT_MAX_PER_ADDRESS = 64;

  /** Time from accept to the full feature phase; a real login takes milliseconds. */
  public static final Duration DEFAULT_LOGIN_DEADLINE = Duration.ofSeconds(15);

  private static final AttributeKey<InetAddress> COUNTED =
      AttributeKey.valueOf(ConnectionGuard.class, "counted");

  private final int maxPerAddress;
  private final Duration loginDeadline;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

  public ConnectionGuard(int maxPerAddress, Duration loginDeadline) {
    if (maxPerAddress < 1) {
      throw new IllegalArgumentException("maxPerAddress must be positive: " + maxPerAddress);
    }
    this.maxPerAddress = maxPerAddress;
    this.loginDeadline = loginDeadline;
  }

  /** The defaults above. */
  public static ConnectionGuard defaults() {
    return new ConnectionGuard(DEFAULT_MAX_PER_ADDRESS, DEFAULT_LOGIN_DEADLINE);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress address =
        ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    if (address != null) {
      int count = open.merge(address, 1, Integer::sum);
      ctx.channel().attr(COUNTED).set(address);
      if (count > maxPerAddress) {
        log.info(
            "closing connection from {}: it already has {} open",
            address.getHostAddress(),
            count - 1);
        // Read nothing: the connection never reaches the decoder or the login.
        ctx.channel().config().setAutoRead(false);
        ctx.close();
        return;
      }
    }
    ctx.executor()
        .schedule(() -> enforceLoginDeadline(ctx), loginDeadline.toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  private void enforceLoginDeadline(ChannelHandlerContext ctx) {
    Connection connection = ctx.pipeline().get(Connection.class);
    if (ctx.channel().isActive() && connection != null && !connection.loggedIn()) {
      log.info(
          "closing connection from {}: login not completed within {} s",
          connection.remoteAddress(),
          loginDeadline.toSeconds());
      connection.close("login deadline passed");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
    if (address != null) {
      open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
    ctx.fireChannelInactive();
  }

  /** Open connections from {@code address}; for tests and diagnostics. */
  int openFrom(InetAddress address) {
    return open.getOrDefault(address, 0);
  }
}
