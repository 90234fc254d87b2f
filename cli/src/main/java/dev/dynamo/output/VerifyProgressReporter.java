package dev.dynamo.output;

import dev.dynamo.verify.TableVerifier;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live progress line of a verification on a terminal's stderr, redrawn in place with a
 * carriage return every {@link CopyProgressReporter#INTERVAL_MILLIS} ms:
 * <pre>
 * reading 12,345/20,000 + 12,000/20,000 items 3,100/s RCU 121
 * comparing 3/16 buckets RCU 2,410
 * </pre>
 * Only for a terminal (the command decides); no ANSI escapes: a shorter line is blanked with spaces.
 *
 * <p>Concurrency contract: one daemon thread draws the line; {@link #close} stops it and removes
 * the line, so what is printed next starts on a clean line.
 */
public final class VerifyProgressReporter implements AutoCloseable {
    private final PrintWriter err;
    private final Supplier<TableVerifier.Progress> progress;
    private final Thread thread;
    private final Object lock = new Object();
    private int shownChars;
    private volatile boolean stopped;

    private VerifyProgressReporter(PrintWriter err, Supplier<TableVerifier.Progress> progress) {
        this.err = err;
        this.progress = progress;
        this.thread = new Thread(this::loop, "dynamo-verify-progress");
        this.thread.setDaemon(true);
    }

    /** Starts drawing {@code progress} (read from the verifier) on {@code err}. */
    public static VerifyProgressReporter start(PrintWriter err, Supplier<TableVerifier.Progress> progress) {
        VerifyProgressReporter reporter = new VerifyProgressReporter(err, progress);
        reporter.thread.start();
        return reporter;
    }

    private void loop() {
        try {
            while (!stopped) {
                TimeUnit.MILLISECONDS.sleep(CopyProgressReporter.INTERVAL_MILLIS);
                draw(line(progress.get()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void draw(String line) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            String padded = line.length() < shownChars ? line + " ".repeat(shownChars - line.length()) : line;
            err.print("\r" + padded);
            err.flush();
            shownChars = line.length();
        }
    }

    /** Stops drawing and removes the line. */
    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            if (shownChars > 0) {
                err.print("\r" + " ".repeat(shownChars) + "\r");
                err.flush();
                shownChars = 0;
            }
        }
        thread.interrupt();
    }

    /**
     * The progress line.
     * <pre>
     * reading 12,345/20,000 + 12,000/20,000 items 3,100/s RCU 121
     * reading 1,200 + 1,100 items 800/s RCU 40 retries 2
     * comparing 3/16 buckets RCU 2,410
     * </pre>
     */
    public static String line(TableVerifier.Progress now) {
        StringBuilder line = new StringBuilder(now.phase().label());
        if (now.phase() == TableVerifier.Phase.READ) {
            line.append(' ').append(count(now.sourceItems(), now.expectedSourceItems())).append(" + ")
                    .append(count(now.targetItems(), now.expectedTargetItems())).append(" items");
            double seconds = now.elapsedNanos() / 1e9;
            line.append(String.format(Locale.ROOT, " %,.0f/s", seconds > 0 ? (now.sourceItems() + now.targetItems()) / seconds : 0));
        } else if (now.phase() == TableVerifier.Phase.COMPARE) {
            line.append(String.format(Locale.ROOT, " %,d/%,d buckets", now.bucketsCompared(), now.buckets()));
        }
        line.append(String.format(Locale.ROOT, " RCU %,.0f", now.readUnits()));
        if (now.retried() > 0) {
            line.append(String.format(Locale.ROOT, " retries %,d", now.retried()));
        }
        return line.toString();
    }

    private static String count(long done, long expected) {
        // DynamoDB's item count is up to six hours old: it is only a guide.
        return expected > 0 ? String.format(Locale.ROOT, "%,d/%,d", done, expected) : String.format(Locale.ROOT, "%,d", done);
    }
}
