package dev.lunar.csi.health;

import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import dev.lunar.csi.CsiEndpoint;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Identity.Probe over the CSI socket, as kubernetes-csi's livenessprobe calls it: a new connection
 * for every probe, so a socket file that was deleted (kubelet and the sidecars could no longer dial
 * it) fails the probe even while the server still runs, and one deadline for dialling and
 * answering, so a wedged server fails it within the timeout. Its own event loop, never the
 * server's: a stalled server loop must not stall the check of it.
 */
public final class CsiProbe implements AutoCloseable {

  /** What one probe found. */
  public sealed interface Outcome {

    /** The driver answered Probe and said it is ready (or, as CSI allows, said nothing). */
    record Ready() implements Outcome {}

    /** The driver answered Probe, ready false. */
    record NotReady() implements Outcome {}

    /** No answer: the socket is gone, nobody accepts, or the call failed or timed out. */
    record Failed(String reason) implements Outcome {}
  }

  private final Path socket;
  private final Duration timeout;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

  /**
   * @param socket the CSI socket, as this process sees it
   * @param timeout how long one probe may take from dialling to the answer
   */
  public CsiProbe(Path socket, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive, not " + timeout);
    }
    this.socket = socket;
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  public Outcome probe() {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return new Outcome.Failed("CSI socket " + socket + " does not exist");
    }
    ManagedChannel channel = CsiEndpoint.channelTo(socket, group).directExecutor().build();
    try {
      ProbeResponse answer =
          IdentityGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
              .probe(ProbeRequest.getDefaultInstance());
      return !answer.hasReady() || answer.getReady().getValue()
          ? new Outcome.Ready()
          : new Outcome.NotReady();
    } catch (StatusRuntimeException e) {
      return new Outcome.Failed(describe(e.getStatus()));
    } finally {
      channel.shutdownNow();
    }
  }

  private String describe(Status status) {
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "no answer to Probe on " + socket + " within " + timeout.toMillis() + " ms";
    }
    String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
    Throwable cause = status.getCause();
    String because =
        cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
    return "Probe on " + socket + " failed: " + status.getCode() + detail + because;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
