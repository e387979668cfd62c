package dev.lunar.csi.health;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import dev.lunar.csi.CsiEndpoint;
import dev.lunar.csi.Healthz;
import dev.lunar.csi.Healthz.Answer;
import dev.lunar.csi.IdentityService;
import dev.lunar.csi.Readiness;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} against a real gRPC CSI server on a Unix socket, the way kubelet's liveness
 * probe calls it: ready, not ready with the reason, the socket gone, and a server that never
 * answers.
 */
class HealthServerTest {

  private static final Duration TIMEOUT = Duration.ofMillis(700);

  @TempDir Path dir;

  @Test
  void readyIsOkAndNotReadyIs500WithTheReason() throws Exception {
    AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    Path socket = dir.resolve("csi.sock");
    Readiness readiness = problem::get;
    try (CsiEndpoint endpoint =
            CsiEndpoint.serve(socket, List.of(new IdentityService("1", List.of(), readiness)));
        HealthServer health = HealthServer.start(options(), socket, readiness)) {
      assertThat(get(health, "/healthz")).isEqualTo(new Answer(200, "ok\n"));

      problem.set(Optional.of("iscsiadm is not on the PATH"));
      Answer notReady = get(health, "/healthz");

      assertThat(notReady.status()).isEqualTo(500);
      assertThat(notReady.body()).contains("not ready", "iscsiadm is not on the PATH");
      problem.set(Optional.empty());
      assertThat(get(health, "/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void aDeletedSocketFailsAlthoughTheServerStillRuns() throws Exception {
    Path socket = dir.resolve("csi.sock");
    try (CsiEndpoint endpoint =
            CsiEndpoint.serve(
                socket, List.of(new IdentityService("1", List.of(), Readiness.ALWAYS)));
        HealthServer health = HealthServer.start(options(), socket, Readiness.ALWAYS)) {
      assertThat(get(health, "/healthz").status()).isEqualTo(200);

      Files.delete(socket);
      Answer gone = get(health, "/healthz");

      assertThat(gone.status()).isEqualTo(500);
      assertThat(gone.body()).contains(socket.toString(), "does not exist");
    }
  }

  @Test
  void aServerThatNeverAnswersFailsWithinTheTimeoutWithoutLeakingThreads() throws Exception {
    Path socket = dir.resolve("csi.sock");
    List<StreamObserver<ProbeResponse>> unanswered = new CopyOnWriteArrayList<>();
    IdentityGrpc.IdentityImplBase stalled =
        new IdentityGrpc.IdentityImplBase() {
          @Override
          public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
            unanswered.add(response); // never answered: a wedged driver
          }
        };
    try (CsiEndpoint endpoint = CsiEndpoint.serve(socket, List.of(stalled));
        HealthServer health = HealthServer.start(options(), socket, Readiness.ALWAYS)) {
      assertStallFailsInTime(health, socket);
      assertStallFailsInTime(health, socket);
      int threadsBefore = settledThreadCount();

      for (int i = 0; i < 10; i++) {
        assertStallFailsInTime(health, socket);
      }

      assertThat(unanswered).hasSize(12);
      assertThat(settledThreadCount())
          .as("threads after ten more timed-out probes")
          .isLessThanOrEqualTo(threadsBefore + 2);
    }
  }

  @Test
  void aSocketNobodyServesHttp2OnFailsWithinTheTimeout() throws Exception {
    Path socket = dir.resolve("csi.sock");
    // Connections are queued by the kernel but never accepted: a process wedged before serving.
    try (ServerSocketChannel wedged = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      wedged.bind(UnixDomainSocketAddress.of(socket));
      try (HealthServer health = HealthServer.start(options(), socket, Readiness.ALWAYS)) {
        assertStallFailsInTime(health, socket);
      }
    }
  }

  @Test
  void onlyGetAndHeadOfHealthzAreServed() throws Exception {
    Path socket = dir.resolve("csi.sock");
    try (CsiEndpoint endpoint =
            CsiEndpoint.serve(
                socket, List.of(new IdentityService("1", List.of(), Readiness.ALWAYS)));
        HealthServer health = HealthServer.start(options(), socket, Readiness.ALWAYS)) {
      assertThat(get(health, "/healthz/extra").status()).isEqualTo(404);
      assertThat(get(health, "/").status()).isEqualTo(404);
      assertThat(Healthz.status(health.address(), "/healthz", "POST")).isEqualTo(405);
      assertThat(Healthz.status(health.address(), "/healthz", "HEAD")).isEqualTo(200);
    }
  }

  private void assertStallFailsInTime(HealthServer health, Path socket) throws IOException {
    long start = System.nanoTime();
    Answer answer = get(health, "/healthz");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.body()).contains("no answer to Probe on " + socket, "within 700 ms");
    assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT.plusMillis(1500));
  }

  private static HealthOptions options() {
    return new HealthOptions(new InetSocketAddress("127.0.0.1", 0), TIMEOUT);
  }

  /** The live threads once gRPC's shared timer, released a second after its last use, is gone. */
  private static int settledThreadCount() throws InterruptedException {
    Thread.sleep(1500);
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static Answer get(HealthServer health, String path) throws IOException {
    return Healthz.get(health.address(), path);
  }
}
