package dev.lunar.csi;

import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A CSI endpoint's calls to itself before anyone else may dial it. The sidecars give the driver
 * about a second for the HTTP/2 handshake of a new connection, and one second for each of their
 * first calls (external-attacher's GetPluginInfo, then GetPluginCapabilities and
 * ControllerGetCapabilities together), and exit when the driver is late. A JVM answering its first
 * call loads the classes of HTTP/2, of gRPC's call path and of each message, and on a node busy
 * starting other pods that can take longer. Best effort: a failure here only costs the speed-up.
 */
final class EndpointWarmUp {

  /** Those first calls (and kubelet's); each only reports, by the CSI spec, and needs no input. */
  static final Set<String> FIRST_CALLS =
      Set.of(
          "GetPluginInfo",
          "GetPluginCapabilities",
          "ControllerGetCapabilities",
          "NodeGetCapabilities",
          "NodeGetInfo",
          "GetInfo");

  private static final long WAIT_SECONDS = 5;

  private EndpointWarmUp() {}

  /** Connects to {@code socket}, then makes each of {@link #FIRST_CALLS} that a service has. */
  static void run(Path socket, EventLoopGroup group, List<ServerServiceDefinition> services) {
    ManagedChannel channel = CsiEndpoint.channelTo(socket, group).build();
    try {
      if (!connect(channel)) {
        return;
      }
      for (ServerServiceDefinition service : services) {
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
          MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
          if (descriptor.getType() == MethodDescriptor.MethodType.UNARY
              && FIRST_CALLS.contains(descriptor.getBareMethodName())) {
            call(channel, descriptor);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      channel.shutdownNow();
    }
  }

  private static boolean connect(ManagedChannel channel) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY && System.nanoTime() < deadline) {
      Thread.sleep(10);
      state = channel.getState(true);
    }
    return state == ConnectivityState.READY;
  }

  /** One call with the empty request: its answer, or its error, is not the point. */
  private static <Q, R> void call(ManagedChannel channel, MethodDescriptor<Q, R> method) {
    Q empty = method.parseRequest(new ByteArrayInputStream(new byte[0]));
    try {
      ClientCalls.blockingUnaryCall(
          channel,
          method,
          CallOptions.DEFAULT.withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS),
          empty);
    } catch (StatusRuntimeException e) {
      // A refusal warms the same path as an answer.
    }
  }
}
