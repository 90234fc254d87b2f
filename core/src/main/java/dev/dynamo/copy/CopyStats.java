package dev.dynamo.copy;

import dev.dynamo.pipeline.JobCounters;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a finished copy did; the command line prints it as the summary line or as JSON.
 *
 * @param source         the source, as {@code table 'Orders' in 'prod' (eu-west-1)}
 * @param target         the target, the same way
 * @param mode           replace or merge
 * @param selection      true when only query-selected items were copied
 * @param tableCreated   the target table was created by this copy
 * @param backup         the backup made of the target, or null
 * @param scanned        source items read
 * @param written        items written to the target
 * @param deleted        target items deleted
 * @param retried        requests retried (throttling, 5xx, network, unprocessed items)
 * @param throttled      requests throttled (throttling errors, and batches with unprocessed items)
 * @param failed         items that could not be written and are in the dead-letter file
 * @param bytesWritten   bytes of the items written (DynamoDB's item size)
 * @param readUnits      read capacity consumed, as DynamoDB reported it
 * @param writeUnits     write capacity consumed: as DynamoDB reported it when {@code writeUnitsMeasured}, otherwise
 *                       estimated from the items' sizes and the target's indexes
 * @param writeUnitsMeasured true when DynamoDB was asked for the write units (a copy with {@code --max-wcu} does)
 * @param elapsed        how long the copy took, from the first call to the last
 * @param deadLetterFile the dead-letter file, or null when every item was written
 */
public record CopyStats(
        String source,
        String target,
        CopyMode mode,
        boolean selection,
        boolean tableCreated,
        BackupResult backup,
        long scanned,
        long written,
        long deleted,
        long retried,
        long throttled,
        long failed,
        long bytesWritten,
        double readUnits,
        double writeUnits,
        boolean writeUnitsMeasured,
        Duration elapsed,
        Path deadLetterFile) {

    /** Items written per second of the whole copy. */
    public double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : written / seconds;
    }

    /** True when every item was written (nothing is in a dead-letter file). */
    public boolean complete() {
        return failed == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CopyStats} by name: every count starts at 0, every reference at null. */
    public static final class Builder {
        private String source;
        private String target;
        private CopyMode mode;
        private boolean selection;
        private boolean tableCreated;
        private BackupResult backup;
        private long scanned;
        private long written;
        private long deleted;
        private long retried;
        private long throttled;
        private long failed;
        private long bytesWritten;
        private double readUnits;
        private double writeUnits;
        private boolean writeUnitsMeasured;
        private Duration elapsed;
        private Path deadLetterFile;

        private Builder() {
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder target(String value) {
            this.target = value;
            return this;
        }

        public Builder mode(CopyMode value) {
            this.mode = value;
            return this;
        }

        public Builder selection(boolean value) {
            this.selection = value;
            return this;
        }

        public Builder tableCreated(boolean value) {
            this.tableCreated = value;
            return this;
        }

        public Builder backup(BackupResult value) {
            this.backup = value;
            return this;
        }

        public Builder scanned(long value) {
            this.scanned = value;
            return this;
        }

        public Builder written(long value) {
            this.written = value;
            return this;
        }

        public Builder deleted(long value) {
            this.deleted = value;
            return this;
        }

        public Builder retried(long value) {
            this.retried = value;
            return this;
        }

        public Builder throttled(long value) {
            this.throttled = value;
            return this;
        }

        public Builder failed(long value) {
            this.failed = value;
            return this;
        }

        public Builder bytesWritten(long value) {
            this.bytesWritten = value;
            return this;
        }

        public Builder readUnits(double value) {
            this.readUnits = value;
            return this;
        }

        public Builder writeUnits(double value) {
            this.writeUnits = value;
            return this;
        }

        public Builder writeUnitsMeasured(boolean value) {
            this.writeUnitsMeasured = value;
            return this;
        }

        public Builder elapsed(Duration value) {
            this.elapsed = value;
            return this;
        }

        public Builder deadLetterFile(Path value) {
            this.deadLetterFile = value;
            return this;
        }

        /** Sets the counts, the capacity and the elapsed time from a copy's final counters. */
        public Builder counts(JobCounters.Snapshot done) {
            scanned = done.scanned();
            written = done.written();
            deleted = done.deleted();
            retried = done.retried();
            throttled = done.throttled();
            failed = done.failed();
            bytesWritten = done.bytesWritten();
            readUnits = done.readUnits();
            writeUnits = done.writeUnits();
            writeUnitsMeasured = done.writeUnitsMeasured();
            elapsed = Duration.ofNanos(done.elapsedNanos());
            return this;
        }

        public CopyStats build() {
            return new CopyStats(source, target, mode, selection, tableCreated, backup, scanned, written, deleted, retried,
                    throttled, failed, bytesWritten, readUnits, writeUnits, writeUnitsMeasured, elapsed, deadLetterFile);
        }
    }
}
