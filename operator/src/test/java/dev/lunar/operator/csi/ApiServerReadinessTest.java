package dev.lunar.operator.csi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The controller's Probe answer: from the last API check, never waiting for one. */
class ApiServerReadinessTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger checks = new AtomicInteger();

  @Test
  void readyOnceTheApiServerAnsweredAndRecheckedOnlyAfterTheInterval() throws Exception {
    try (ApiServerReadiness readiness = new ApiServerReadiness(checks::incrementAndGet, now::get)) {
      awaitChecks(1);
      awaitProblem(readiness, null);

      readiness.problem();
      readiness.problem();
      Thread.sleep(50);
      assertThat(checks).as("no request before the interval").hasValue(1);

      advance(ApiServerReadiness.RECHECK);
      readiness.problem();
      awaitChecks(2);
    }
  }

  @Test
  void aFailedRequestIsTheReasonUntilOneSucceeds() throws Exception {
    AtomicReference<Exception> failure =
        new AtomicReference<>(new java.io.IOException("connect refused"));
    ApiServerReadiness.Check check =
        () -> {
          checks.incrementAndGet();
          Exception e = failure.get();
          if (e != null) {
            throw e;
          }
        };
    try (ApiServerReadiness readiness = new ApiServerReadiness(check, now::get)) {
      awaitProblem(readiness, "the API server did not answer: connect refused");

      failure.set(null);
      advance(ApiServerReadiness.RECHECK);
      awaitProblem(readiness, null);
    }
  }

  @Test
  void aRequestThatHangsCountsAsFailedAfterAWhileAndIsNotRepeated() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ApiServerReadiness.Check hanging =
        () -> {
          checks.incrementAndGet();
          release.await();
        };
    try (ApiServerReadiness readiness = new ApiServerReadiness(hanging, now::get)) {
      awaitChecks(1);
      assertThat(readiness.problem()).contains("waiting for the API server's first answer");

      advance(ApiServerReadiness.HUNG.plusSeconds(1));

      assertThat(readiness.problem()).contains("the API server has not answered for 31 s");
      assertThat(checks).as("one request at a time").hasValue(1);
      release.countDown();
      awaitProblem(readiness, null);
    }
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  private void awaitChecks(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (checks.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(checks).hasValue(count);
  }

  /** Waits for the answer the background check leads to; null means ready. */
  private static void awaitProblem(ApiServerReadiness readiness, String problem)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!readiness.problem().equals(java.util.Optional.ofNullable(problem))
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(readiness.problem()).isEqualTo(java.util.Optional.ofNullable(problem));
  }
}
