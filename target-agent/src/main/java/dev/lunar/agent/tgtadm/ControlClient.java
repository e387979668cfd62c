package dev.lunar.agent.tgtadm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** tgtadm's end of the control channel: one request, one reply, per connection. */
public final class ControlClient {

  private final Path socket;

  public ControlClient(Path socket) {
    this.socket = socket;
  }

  /** A client for control port {@code controlPort} in {@code dir}. */
  public static ControlClient forPort(Path dir, int controlPort) {
    return new ControlClient(ControlSocket.path(dir, controlPort));
  }

  /**
   * Sends {@code request} and waits for the reply.
   *
   * @throws DaemonUnreachableException when no daemon listens on the socket
   * @throws IOException when the daemon went away mid-request or answered garbage
   */
  public TgtadmReply send(TgtadmRequest request) throws IOException {
    SocketChannel channel = connect(socket);
    try (channel) {
      ControlProtocol.writeFrame(channel, ControlProtocol.encodeRequest(request));
      return ControlProtocol.decodeReply(
          ControlProtocol.readFrame(channel, ControlProtocol.MAX_REPLY));
    }
  }

  /** Whether a daemon answers on {@code socket} right now. */
  public static boolean answers(Path socket) {
    try (SocketChannel ignored = connect(socket)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static SocketChannel connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      channel.close();
      throw new DaemonUnreachableException(socket, e);
    }
  }

  /** No daemon listens on the control socket (not started, or stopped). */
  public static final class DaemonUnreachableException extends IOException {
    DaemonUnreachableException(Path socket, IOException cause) {
      super("no daemon on " + socket, cause);
    }
  }
}
