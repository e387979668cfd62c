package dev.lunar.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts every API request a client sends, by HTTP method, so a test can count the operator's. */
final class RequestCounter implements Interceptor {

  private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> writesByPath = new ConcurrentHashMap<>();
  private final java.util.Deque<String> recentWrites =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  /** A client on {@code kubeconfig} whose requests this counter sees. */
  KubernetesClient client(String kubeconfig) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", this))
        .build();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    boolean watch = request.uri().getQuery() != null && request.uri().getQuery().contains("watch=");
    String method = watch ? "WATCH" : request.method();
    byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    if (!method.equals("GET") && !method.equals("WATCH")) {
      writesByPath.computeIfAbsent(request.uri().getPath(), p -> new LongAdder()).increment();
      recentWrites.addLast(method + " " + request.uri().getPath());
      while (recentWrites.size() > 20) {
        recentWrites.pollFirst();
      }
    }
  }

  /** Requests that change something: POST, PUT, PATCH, DELETE. */
  long writes() {
    return count("POST") + count("PUT") + count("PATCH") + count("DELETE");
  }

  /** Writes to paths that contain none of {@code pathParts}, such as every write but a Lease's. */
  long writesExcept(String... pathParts) {
    return writesByPath.entrySet().stream()
        .filter(e -> java.util.Arrays.stream(pathParts).noneMatch(e.getKey()::contains))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  long total() {
    return byMethod.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long count(String method) {
    LongAdder adder = byMethod.get(method);
    return adder == null ? 0 : adder.sum();
  }

  /** The last 20 writes, for a failure message. */
  java.util.List<String> recentWrites() {
    return java.util.List.copyOf(recentWrites);
  }

  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    byMethod.forEach((m, n) -> copy.put(m, n.sum()));
    return copy;
  }
}
