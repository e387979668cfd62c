package dev.lunar.operator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * What a process prints, read on a virtual thread as it comes, so a test can wait for a line with a
 * deadline even when the process falls silent.
 */
final class PrintedLines {

  private final StringBuilder text = new StringBuilder();
  private boolean ended;

  PrintedLines(InputStream output) {
    Thread.ofVirtual().start(() -> read(output));
  }

  /** Waits until a line contains {@code fragment}; false if the output ends or time runs out. */
  synchronized boolean awaitLine(String fragment, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!contains(fragment)) {
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  synchronized String text() {
    return text.toString();
  }

  @Override
  public String toString() {
    return text();
  }

  private boolean contains(String fragment) {
    return text.indexOf(fragment) >= 0;
  }

  private void read(InputStream output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (this) {
          text.append(line).append('\n');
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }
}
