package dev.lunar.operator.csi;

import dev.lunar.csi.Readiness;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's readiness: the API server answered its client lately. Every CSI call the
 * controller serves is API reads and writes, so without them it can do nothing; a controller whose
 * client broke for good (a token it cannot renew, a wedged connection pool) is mended by a restart.
 *
 * <p>Probe must answer within its caller's one-second deadline, and an API request may take longer,
 * so a probe never waits for one: it starts a check when the last is older than {@link #RECHECK}
 * (never two at once, on one thread of its own) and answers from the last finished one.
 */
final class ApiServerReadiness implements Readiness, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerReadiness.class);

  /** How often a probe may cause an API request: the chart probes every 10 s per replica. */
  static final Duration RECHECK = Duration.ofSeconds(5);

  /** A check that has not finished after this long counts as failed: the API server hangs. */
  static final Duration HUNG = Duration.ofSeconds(30);

  /** One cheap API request that succeeds only with a working client, token and RBAC. */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  private record Result(long finishedAt, Optional<String> problem) {}

  private final Check check;
  private final LongSupplier nanoTime;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "csi-api-check");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile long startedAt;
  private volatile Result last;

  /**
   * @param check the request to make
   * @param nanoTime the clock ({@link System#nanoTime} but in tests)
   */
  ApiServerReadiness(Check check, LongSupplier nanoTime) {
    this.check = check;
    this.nanoTime = nanoTime;
    // The sidecars probe as soon as they start: have an answer by then.
    startIfDue();
  }

  @Override
  public Optional<String> problem() {
    startIfDue();
    Result result = last;
    long now = nanoTime.getAsLong();
    if (running.get() && now - startedAt > HUNG.toNanos()) {
      return Optional.of(
          "the API server has not answered for " + (now - startedAt) / 1_000_000_000L + " s");
    }
    if (result == null) {
      return Optional.of("waiting for the API server's first answer");
    }
    return result.problem();
  }

  private void startIfDue() {
    Result result = last;
    long now = nanoTime.getAsLong();
    boolean due = result == null || now - result.finishedAt() >= RECHECK.toNanos();
    if (!due || !running.compareAndSet(false, true)) {
      return;
    }
    startedAt = now;
    try {
      executor.execute(this::runCheck);
    } catch (RejectedExecutionException e) {
      running.set(false); // closed
    }
  }

  private void runCheck() {
    Optional<String> problem;
    try {
      check.run();
      problem = Optional.empty();
    } catch (Exception e) {
      problem = Optional.of("the API server did not answer: " + e.getMessage());
    }
    Result before = last;
    last = new Result(nanoTime.getAsLong(), problem);
    running.set(false);
    if (problem.isPresent() && (before == null || !problem.equals(before.problem()))) {
      LOG.warn("CSI controller not ready: {}", problem.get());
    } else if (problem.isEmpty() && before != null && before.problem().isPresent()) {
      LOG.info("CSI controller ready again: the API server answers");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
