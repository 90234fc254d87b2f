package dev.dynamo.output;

import dev.dynamo.Counts;
import dev.dynamo.query.QueryStats;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The text of {@code dynamo query}'s live progress line while {@code --count} or {@code -u} reads a whole
 * partition before printing, which a {@link StatusLine} draws on a terminal's stderr:
 * <pre>
 * querying 12,345 items 3,100/s 4 pages RCU 62
 * querying 12,345 items 1,200 matched 3,100/s 4 pages RCU 62
 * </pre>
 * Items are those DynamoDB read (its ScannedCount, what the query pays for); "matched" shows only when a
 * filter leaves fewer. The rate is over the whole query so far.
 */
public final class QueryProgressReporter {
    private final Supplier<QueryStats> progress;
    private final long startNanos = System.nanoTime();

    private QueryProgressReporter(Supplier<QueryStats> progress) {
        this.progress = progress;
    }

    /** Starts drawing {@code progress} (the query's latest page totals, read from the drawing thread) on {@code err}. */
    public static StatusLine start(PrintWriter err, Supplier<QueryStats> progress) {
        return StatusLine.start(err, "dynamo-query-progress", new QueryProgressReporter(progress)::text);
    }

    private String text() {
        QueryStats now = progress.get();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return line(now, seconds > 0 ? now.scannedCount() / seconds : 0);
    }

    /** The progress line for what was read so far, with the rate in items read per second. */
    public static String line(QueryStats now, double rate) {
        StringBuilder line = new StringBuilder("querying ").append(Counts.items(now.scannedCount()));
        if (now.count() != now.scannedCount()) {
            line.append(String.format(Locale.ROOT, " %,d matched", now.count()));
        }
        line.append(String.format(Locale.ROOT, " %,.0f/s ", rate)).append(Counts.of(now.pages(), "page", "pages"));
        line.append(String.format(Locale.ROOT, " RCU %,.0f", now.capacityUnits()));
        return line.toString();
    }
}
