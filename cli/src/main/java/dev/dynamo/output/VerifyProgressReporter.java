package dev.dynamo.output;

import dev.dynamo.verify.TableVerifier;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The text of a verification's live progress line, which a {@link StatusLine} draws:
 * <pre>
 * reading 12,345/20,000 + 12,000/20,000 items 3,100/s RCU 121
 * comparing 3/16 buckets RCU 2,410
 * </pre>
 */
public final class VerifyProgressReporter {
    private VerifyProgressReporter() {
    }

    /** Starts drawing {@code progress} (read from the verifier) on {@code err}. */
    public static StatusLine start(PrintWriter err, Supplier<TableVerifier.Progress> progress) {
        return StatusLine.start(err, "dynamo-verify-progress", () -> line(progress.get()));
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
