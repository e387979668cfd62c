package dev.lunar.operator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints: {@code /metrics} (Prometheus text) on the metrics address, {@code
 * /healthz} and {@code /readyz} on the health address (the chart's two ports). One small thread.
 */
final class OperatorHttp implements AutoCloseable {

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
          });

  OperatorHttp(
      InetSocketAddress metrics,
      Supplier<String> scrape,
      InetSocketAddress health,
      BooleanSupplier ready)
      throws IOException {
    HttpServer metricsServer = server(metrics);
    route(metricsServer, "/metrics", () -> 200, scrape, "text/plain; version=0.0.4; charset=utf-8");
    HttpServer healthServer = metrics.equals(health) ? metricsServer : server(health);
    route(healthServer, "/healthz", () -> 200, () -> "ok\n", "text/plain");
    route(
        healthServer,
        "/readyz",
        () -> ready.getAsBoolean() ? 200 : 503,
        () -> ready.getAsBoolean() ? "ok\n" : "starting\n",
        "text/plain");
    servers.forEach(HttpServer::start);
  }

  int metricsPort() {
    return servers.getFirst().getAddress().getPort();
  }

  private HttpServer server(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.setExecutor(executor);
    servers.add(server);
    return server;
  }

  private static void route(
      HttpServer server,
      String path,
      java.util.function.IntSupplier code,
      Supplier<String> body,
      String type) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code.getAsInt(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }
}
