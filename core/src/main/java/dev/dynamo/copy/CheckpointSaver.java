package dev.dynamo.copy;

import dev.dynamo.DynamoException;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.SegmentAcks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one run's checkpoint file up to date: written when the run begins, at every stage change
 * (before the stage changes anything), every {@link JobDefaults#CHECKPOINT_INTERVAL_MILLIS} while
 * copying if the acknowledged positions moved, and when the run stops; deleted when the copy
 * finishes. The periodic saves are spaced by what the last one cost: at least 50 times as long as it
 * took to write, and a second per 256 KiB of file, so a large checkpoint on a slow disk never becomes
 * most of what the run does (the positions are compact, so this rarely exceeds the second).
 *
 * <p>Concurrency contract: the job's thread calls every method; one daemon thread of its own saves
 * periodically while copying. Saving is serialised by the instance's lock, so the file is only ever
 * replaced by one writer at a time, and each save reads the acknowledgements at one instant.
 */
final class CheckpointSaver {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSaver.class);

    private final Path file;
    private final JobCounters counters;
    private CopyCheckpoint current;
    private SegmentAcks acks;
    private String lastSaved;
    private ScheduledExecutorService timer;
    private boolean written;
    /** When the next periodic save may run ({@link System#nanoTime}), from what the last one cost. */
    private long nextPeriodicSave;
    private static final long BYTES_PER_SECOND_OF_GAP = 256 * 1024;
    private static final int GAP_PER_WRITE_TIME = 50;

    /**
     * @param file    the checkpoint file, or null to save nothing (a library caller that wants no checkpoint)
     * @param initial what the run starts from: a fresh checkpoint at {@link CopyCheckpoint.Stage#START}, or the one
     *                being resumed
     */
    CheckpointSaver(Path file, CopyCheckpoint initial, JobCounters counters) {
        this.file = file == null ? null : file.toAbsolutePath().normalize();
        this.current = initial;
        this.counters = counters;
        this.nextPeriodicSave = System.nanoTime();
    }

    /**
     * Saves the checkpoint at a stop and says where it is, for the end of the stop message:
     * {@code ; the checkpoint is /home/me/.dynamo/checkpoints/Orders-to-Orders-1a2b3c4d5e.json}, or nothing without a file.
     */
    String stopNote() {
        if (file == null) {
            return "";
        }
        String problem = stopped();
        if (problem != null) {
            return "; the checkpoint could not be saved (" + problem + ")";
        }
        return resumable() ? "; the checkpoint is " + file : "";
    }

    /** The checkpoint file, or null when none is kept. */
    Path file() {
        return file;
    }

    /** True once a checkpoint was written that has not been deleted: a resume can continue from it. */
    synchronized boolean resumable() {
        return written;
    }

    /**
     * Writes the first checkpoint, before the run changes anything.
     *
     * @throws DynamoException (usage) when the file cannot be written; nothing was changed then
     */
    synchronized void begin() {
        try {
            if (file != null && Files.isDirectory(file.getParent())) {
                CopyCheckpoint.removeLeftovers(file);
            }
            save();
        } catch (UncheckedIOException e) {
            throw DynamoException.usage(e.getMessage() + "; choose another file with --checkpoint FILE; nothing was changed");
        }
    }

    /** Enters a stage: saved before the stage's first change to the target. */
    synchronized void stage(CopyCheckpoint.Stage stage, BackupResult backup) {
        if (file == null) {
            return;
        }
        current = current.with(stage, backup, counters.failed.sum(), List.of(), Instant.now());
        save();
    }

    /**
     * Enters (or, resuming, re-enters) the copy stage with these acknowledgements and saves them every
     * {@link JobDefaults#CHECKPOINT_INTERVAL_MILLIS} until {@link #stopped} or {@link #finished}.
     */
    synchronized void copying(SegmentAcks copyAcks, BackupResult backup) {
        working(CopyCheckpoint.Stage.COPY, copyAcks, backup);
    }

    /** A copy by difference compared both sides: saves what it found before anything is written. */
    synchronized void compared(CopyCheckpoint.Difference difference) {
        if (file == null) {
            return;
        }
        current = current.with(builder -> builder.stage(CopyCheckpoint.Stage.COMPARED).difference(difference).segments(List.of())
                .failedItems(counters.failed.sum()).savedAt(Instant.now()));
        save();
    }

    /**
     * Enters (or re-enters) a stage that works through positions ({@link CopyCheckpoint.Stage#COPY} or
     * {@link CopyCheckpoint.Stage#DELETE}) with these acknowledgements, saving them periodically as {@link #copying} does.
     */
    synchronized void working(CopyCheckpoint.Stage stage, SegmentAcks stageAcks, BackupResult backup) {
        acks = stageAcks;
        if (file == null) {
            return;
        }
        current = current.with(stage, backup, counters.failed.sum(), stageAcks.checkpoints(), Instant.now());
        save();
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "dynamo-copy-checkpoint");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(this::saveQuietly, JobDefaults.CHECKPOINT_INTERVAL_MILLIS,
                    JobDefaults.CHECKPOINT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The copy phase ended: no more periodic saves; its final positions are what a stop before the next stage saves. */
    synchronized void copied() {
        stopTimer();
        refresh();
        acks = null;
    }

    /**
     * The run stopped before the end (interrupted or failed): saves the acknowledged positions one
     * last time. Works with the thread's interrupt status set; never throws.
     *
     * @return null when saved, else why not
     */
    String stopped() {
        stopTimer();
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (this) {
                refresh();
                save();
            }
            return null;
        } catch (UncheckedIOException e) {
            return e.getMessage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The copy finished: the checkpoint is deleted, so a later --resume finds nothing to do. */
    synchronized void finished() {
        stopTimer();
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            written = false;
        } catch (IOException e) {
            LOG.warn("cannot delete the checkpoint {} of the finished copy: {}", file, e.getMessage());
        }
        // The key files of a comparison go with the checkpoint that refers to them (a copy that finished, or was refused).
        Path keys = DiffCopy.keysDirectory(file);
        if (Files.exists(keys, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            DiffCopy.removeWorkDirectory(keys);
        }
    }

    private synchronized void saveQuietly() {
        if (System.nanoTime() - nextPeriodicSave < 0) {
            return;
        }
        try {
            refresh();
            save();
        } catch (RuntimeException e) {
            // The next save tries again; the stop's save reports a lasting problem.
            LOG.warn("cannot save the checkpoint: {}", e.getMessage());
        }
    }

    private void refresh() {
        if (acks != null && file != null) {
            current = current.with(current.stage(), current.backup(), counters.failed.sum(), acks.checkpoints(), current.savedAt());
        }
    }

    /** Writes the current checkpoint unless the file already says the same (apart from the time). */
    private void save() {
        if (file == null) {
            return;
        }
        String content = current.with(current.stage(), current.backup(), current.failedItems(), current.segments(), Instant.EPOCH)
                .toJson();
        if (content.equals(lastSaved)) {
            return;
        }
        current = current.with(current.stage(), current.backup(), current.failedItems(), current.segments(), Instant.now());
        long started = System.nanoTime();
        current.write(file);
        long took = System.nanoTime() - started;
        long gap = Math.max(TimeUnit.MILLISECONDS.toNanos(JobDefaults.CHECKPOINT_INTERVAL_MILLIS),
                Math.max(GAP_PER_WRITE_TIME * took, TimeUnit.SECONDS.toNanos(1) * content.length() / BYTES_PER_SECOND_OF_GAP));
        nextPeriodicSave = System.nanoTime() + gap - TimeUnit.MILLISECONDS.toNanos(50); // the timer's tick may come a little early
        lastSaved = content;
        written = true;
    }

    private void stopTimer() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = timer;
            timer = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }
}
