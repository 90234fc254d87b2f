package dev.dynamo.testing;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.CopyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Waits for a copy's checkpoint file to show what a test needs (progress, a stage) before it stops the copy. */
public final class Checkpoints {
    private static final long POLL_MILLIS = 20;

    private Checkpoints() {
    }

    /**
     * Reads the checkpoint until it satisfies {@code condition}; fails after {@code timeout}, or at once
     * when {@code process} (may be null) has ended.
     */
    public static CopyCheckpoint await(Path file, Predicate<CopyCheckpoint> condition, Duration timeout, Process process)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CopyCheckpoint last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                try {
                    last = CopyCheckpoint.read(file);
                    if (condition.test(last)) {
                        return last;
                    }
                } catch (DynamoException e) {
                    throw new AssertionError("the checkpoint " + file + " could not be read while the copy ran: " + e.getMessage(), e);
                }
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("the copy ended (exit " + process.exitValue() + ") before its checkpoint showed what "
                        + "the test waits for; last seen: " + describe(last));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new AssertionError("the checkpoint " + file + " did not show what the test waits for within " + timeout
                + "; last seen: " + describe(last));
    }

    private static String describe(CopyCheckpoint checkpoint) {
        return checkpoint == null ? "no checkpoint"
                : "stage " + checkpoint.stage().text() + ", " + checkpoint.copiedItems() + " items copied";
    }
}
