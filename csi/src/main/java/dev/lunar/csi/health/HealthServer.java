package dev.lunar.csi.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lunar.csi.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz} for kubelet's liveness probe of a CSI container, in place of the
 * kubernetes-csi livenessprobe sidecar: each request probes the process's own CSI socket ({@link
 * CsiProbe}) and answers 200 {@code ok}, or 500 with the reason.
 *
 * <p>Inside the CSI process rather than a command of its own: a second JVM would cost about 60 MiB
 * per pod for what is one small thread here, and going through the socket still catches what an
 * in-memory flag would miss (a deleted socket, a wedged gRPC server). What it cannot catch is a JVM
 * too stuck to answer HTTP at all, and then kubelet's own timeout fails the probe.
 */
public final class HealthServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);
  private static final String PATH = "/healthz";

  private final HttpServer server;
  private final ExecutorService executor;
  private final CsiProbe probe;
  private final Readiness readiness;
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  private HealthServer(
      HttpServer server, ExecutorService executor, CsiProbe probe, Readiness readiness) {
    this.server = server;
    this.executor = executor;
    this.probe = probe;
    this.readiness = readiness;
  }

  /**
   * Binds {@code options.address()} and serves until closed; probes are answered one at a time, on
   * one thread, each within the probe timeout.
   *
   * @param readiness the same check Probe answers from, asked again for the reason when Probe says
   *     not ready (Probe's answer carries none)
   */
  public static HealthServer start(HealthOptions options, Path socket, Readiness readiness) {
    CsiProbe probe = new CsiProbe(socket, options.probeTimeout());
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "csi-health");
              t.setDaemon(true);
              return t;
            });
    try {
      HttpServer server = HttpServer.create(options.address(), 8);
      HealthServer health = new HealthServer(server, executor, probe, readiness);
      server.createContext(PATH, health::answer);
      server.setExecutor(executor);
      server.start();
      LOG.info(
          "CSI health on http://{}:{}{} (Probe on {}, timeout {} ms)",
          options.address().getHostString(),
          server.getAddress().getPort(),
          PATH,
          socket,
          options.probeTimeout().toMillis());
      return health;
    } catch (IOException e) {
      probe.close();
      executor.shutdownNow();
      throw new UncheckedIOException("cannot serve CSI health on " + options.address(), e);
    }
  }

  /** The address actually bound (port 0 resolves to a real port). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        exchange.sendResponseHeaders(404, -1);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
      } else {
        String failure = failure();
        note(failure);
        send(exchange, failure == null ? 200 : 500, failure == null ? "ok" : failure, method);
      }
    }
  }

  /** Null when healthy, else why not. */
  private String failure() {
    return switch (probe.probe()) {
      case CsiProbe.Outcome.Ready ready -> null;
      case CsiProbe.Outcome.NotReady notReady ->
          "CSI driver answered Probe: not ready: "
              + readiness.problem().orElse("no reason left (it passed again since)");
      case CsiProbe.Outcome.Failed failed -> failed.reason();
    };
  }

  /** Logs changes only: kubelet probes every few seconds, and the same line each time is noise. */
  private void note(String failure) {
    String before = lastFailure.getAndSet(failure);
    if (failure != null && !failure.equals(before)) {
      LOG.warn("liveness check failed: {}", failure);
    } else if (failure == null && before != null) {
      LOG.info("liveness check passes again");
    }
  }

  private static void send(HttpExchange exchange, int status, String body, String method)
      throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = method.equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    probe.close();
  }
}
