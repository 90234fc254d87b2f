package dev.dynamo.output;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A status line on a terminal's stderr, redrawn in place with a carriage return every
 * {@link #INTERVAL_MILLIS} ms from the text a reporter supplies (see {@link CopyProgressReporter},
 * {@link VerifyProgressReporter} and {@link QueryProgressReporter}). No ANSI escapes: a shorter line is blanked with spaces. Only for a
 * terminal: the command does not start one when stderr is a file or a pipe, or with {@code --no-progress}.
 *
 * <p>Concurrency contract: one daemon thread asks for the text and draws it, so the supplier is only ever
 * called on that thread and may keep state of its own. {@link #notice} (from any thread) and the drawing
 * share one lock, so a notice never lands in the middle of a line. {@link #close} stops the thread, waits
 * for it, and removes the line, so what is printed next starts on a clean line.
 */
public final class StatusLine implements AutoCloseable {
    /** How often the line is redrawn. */
    public static final long INTERVAL_MILLIS = 500;
    /** How long {@link #close} waits for the drawing thread to end. */
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(2);

    private final PrintWriter err;
    private final Supplier<String> text;
    private final Thread thread;
    private final Object lock = new Object();
    private int shownChars;
    private volatile boolean stopped;

    private StatusLine(PrintWriter err, String threadName, Supplier<String> text) {
        this.err = err;
        this.text = text;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts drawing {@code text} on {@code err}, from a daemon thread named {@code threadName}. */
    public static StatusLine start(PrintWriter err, String threadName, Supplier<String> text) {
        StatusLine line = new StatusLine(err, threadName, text);
        line.thread.start();
        return line;
    }

    /** Prints a message on a line of its own; the status line comes back at the next redraw. */
    public void notice(String message) {
        synchronized (lock) {
            clearLine();
            err.println(message);
            err.flush();
        }
    }

    private void loop() {
        try {
            while (!stopped) {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
                if (!stopped) {
                    draw(text.get());
                }
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

    private void clearLine() {
        if (shownChars > 0) {
            err.print("\r" + " ".repeat(shownChars) + "\r");
            shownChars = 0;
        }
    }

    /** Stops drawing and removes the line. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            clearLine();
            err.flush();
        }
    }
}
