package dev.lunar.agent.control;

import dev.lunar.agent.tgtadm.ControlClient;
import dev.lunar.agent.tgtadm.ControlProtocol;
import dev.lunar.agent.tgtadm.ControlSocket;
import dev.lunar.agent.tgtadm.TgtadmReply;
import dev.lunar.agent.tgtadm.TgtadmRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the control channel: the Unix domain socket of {@link ControlSocket}, the
 * directory mode 0700 and the socket 0600 so only root configures the target. Each connection
 * carries one request and one reply ({@link ControlProtocol}) and is served on a virtual thread;
 * {@link ControlService} serializes the changes themselves.
 */
public final class ControlServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocketChannel listener;
  private final Path socket;
  private final ControlService service;
  private final Thread acceptor;

  private ControlServer(ServerSocketChannel listener, Path socket, ControlService service) {
    this.listener = listener;
    this.socket = socket;
    this.service = service;
    this.acceptor =
        Thread.ofVirtual().name("tgtd-control-" + socket.getFileName()).start(this::accept);
  }

  public static ControlServer start(int controlPort, ControlService service) throws IOException {
    return start(ControlSocket.defaultDirectory(), controlPort, service);
  }

  /**
   * Listens on control port {@code controlPort} in {@code dir}.
   *
   * @throws IOException when another daemon already answers on that port, or the socket cannot be
   *     made
   */
  public static ControlServer start(Path dir, int controlPort, ControlService service)
      throws IOException {
    Objects.requireNonNull(service);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } else if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))
        .endsWith("------")) {
      // Never chmod a directory we did not make (LUNAR_CONTROL_DIR=/tmp, say); the socket itself
      // is still 0600.
      log.warn("control directory {} is open to other users; the socket is 0600 anyway", dir);
    }
    Path socket = ControlSocket.path(dir, controlPort);
    if (Files.exists(socket)) {
      if (ControlClient.answers(socket)) {
        throw new IOException(
            "another daemon already listens on control port " + controlPort + " (" + socket + ")");
      }
      Files.delete(socket); // left behind by a daemon that died
    }
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      listener.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    log.info("control channel listening on {}", socket);
    return new ControlServer(listener, socket, service);
  }

  public Path socket() {
    return socket;
  }

  private void accept() {
    while (listener.isOpen()) {
      try {
        SocketChannel connection = listener.accept();
        Thread.ofVirtual().name("tgtd-control-request").start(() -> serve(connection));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("control channel accept failed: {}", e.toString());
      }
    }
  }

  private void serve(SocketChannel connection) {
    // A client that connects and never finishes its request is cut off rather than kept forever.
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(REQUEST_TIMEOUT);
                    connection.close();
                  } catch (InterruptedException | IOException e) {
                    // request read in time, or already closed
                  }
                });
    try (connection) {
      byte[] frame;
      try {
        frame = ControlProtocol.readFrame(connection, ControlProtocol.MAX_REQUEST);
      } finally {
        watchdog.interrupt();
      }
      TgtadmRequest request = ControlProtocol.decodeRequest(frame);
      log.debug("control request {}", request);
      TgtadmReply reply = service.execute(request);
      ControlProtocol.writeFrame(connection, ControlProtocol.encodeReply(reply));
    } catch (IOException | RuntimeException e) {
      log.warn("control request failed: {}", e.toString());
    }
  }

  /** Stops listening and removes the socket; requests in flight finish and get their answer. */
  @Override
  public void close() throws IOException {
    listener.close();
    Files.deleteIfExists(socket);
    try {
      acceptor.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
