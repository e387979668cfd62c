package dev.lunar.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics HTTP endpoint: {@code /metrics} in the Prometheus text format, {@code /healthz} (200
 * while the process serves HTTP at all) and {@code /readyz} (200 once the daemon says it is ready,
 * 503 before). Runs on its own single thread, far from the iSCSI event loops, so a slow scraper
 * never delays I/O.
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * The agent's meters, the JVM's included, on a Prometheus registry for {@link #start} to serve.
   * Built here rather than by the daemon: the JVM verifies a class's code when it links it, and a
   * registry built in the daemon's own code loaded Micrometer and Prometheus classes into every
   * daemon (and its AOT cache), metrics on or off.
   *
   * @param perInitiator tag logins with the initiator name too
   */
  public static AgentMetrics prometheusMetrics(boolean perInitiator) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new AgentMetrics(registry, perInitiator, registry::scrape).withJvmMetrics();
  }

  /** Binds {@code address} and starts serving {@code metrics}. */
  public static MetricsServer start(
      InetSocketAddress address, AgentMetrics metrics, BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    route(server, "/metrics", () -> new Page(200, PROMETHEUS_TEXT, metrics.scrape()));
    route(server, "/healthz", () -> new Page(200, TEXT, "ok\n"));
    route(
        server,
        "/readyz",
        () ->
            ready.getAsBoolean() ? new Page(200, TEXT, "ok\n") : new Page(503, TEXT, "starting\n"));
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    log.info(
        "metrics on http://{}:{}/metrics", address.getHostString(), server.getAddress().getPort());
    return new MetricsServer(server, executor);
  }

  private record Page(int status, String type, String body) {}

  /** Serves one exact path; contexts match by prefix, so anything longer is a 404. */
  private static void route(HttpServer server, String path, Supplier<Page> page) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
              exchange.sendResponseHeaders(404, -1);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
              exchange.sendResponseHeaders(405, -1);
            } else {
              send(exchange, page.get(), method.equals("HEAD"));
            }
          }
        });
  }

  private static void send(HttpExchange exchange, Page page, boolean head) throws IOException {
    byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", page.type());
    exchange.sendResponseHeaders(page.status(), head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The address actually bound (port 0 resolves to a real port). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
