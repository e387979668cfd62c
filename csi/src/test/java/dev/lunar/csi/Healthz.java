package dev.lunar.csi;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Asks a health endpoint over plain HTTP, as kubelet's httpGet probe does. */
public final class Healthz {

  /** The status and body of one answer. */
  public record Answer(int status, String body) {}

  private Healthz() {}

  public static Answer get(InetSocketAddress server, String path) throws IOException {
    HttpURLConnection connection = open(server, path, "GET");
    int status = connection.getResponseCode();
    InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
    return new Answer(status, text);
  }

  /** Only the status, for methods other than GET. */
  public static int status(InetSocketAddress server, String path, String method)
      throws IOException {
    return open(server, path, method).getResponseCode();
  }

  private static HttpURLConnection open(InetSocketAddress server, String path, String method)
      throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.getPort() + path).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(5000);
    connection.setReadTimeout(10_000);
    return connection;
  }
}
