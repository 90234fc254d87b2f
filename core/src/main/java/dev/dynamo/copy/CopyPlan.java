package dev.dynamo.copy;

import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexKind;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.VerifyPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a copy should do, fixed before it starts. Build one with {@link #builder(String)}; every
 * setting has a default.
 *
 * @param sourceTable            the table to read
 * @param targetTable            the table to write (default: the source's name)
 * @param mode                   replace (default) or merge
 * @param backup                 how the target is backed up when it has items: default auto in replace mode, none in
 *                               merge mode (a merge deletes nothing, but may still be asked to back up what it overwrites)
 * @param backupDirectory        where backup and dead-letter files go (the CLI's default: ~/.dynamo/backups; the builder's: the current directory)
 * @param createTable            create the target from the source's definition when it does not exist
 * @param billing                billing mode of a created table, or null for the source's
 * @param selection              copy only what this query selects (its table is the source), or null for the whole table
 * @param threads                writer threads, also the most segments read at once
 * @param segments               scan segments, or 0 to size them from the table size and threads
 * @param pageSize               Scan/Query page Limit, in items
 * @param maxReadUnitsPerSecond  read capacity units per second to consume at most, per table read; 0 for no limit
 * @param maxWriteUnitsPerSecond write capacity units per second to consume at most; 0 for no limit
 * @param consistent             strongly consistent reads of the source
 * @param maxRetries             retries of a throttled or failed request before its items are dead-lettered
 * @param deadLetterFile         where items that cannot be written go, or null for
 *                               {@code TARGET-yyyyMMdd-HHmmss.failed.jsonl} in the backup directory (a resume appends
 *                               to the file of the copy it resumes)
 * @param checkpointFile         where the copy keeps its {@link CopyCheckpoint}, or null for no checkpoint (the
 *                               command line always keeps one; see {@link CopyCheckpoint#defaultFile})
 * @param resume                 continue the copy saved in {@code checkpointFile} instead of starting a new one
 * @param requestTimeout         how long one attempt of a DynamoDB call may take before it is abandoned and retried
 *                               (default {@link JobDefaults#REQUEST_TIMEOUT_MILLIS})
 */
public record CopyPlan(
        String sourceTable,
        String targetTable,
        CopyMode mode,
        BackupMode backup,
        Path backupDirectory,
        boolean createTable,
        BillingChoice billing,
        QuerySpec selection,
        int threads,
        int segments,
        int pageSize,
        double maxReadUnitsPerSecond,
        double maxWriteUnitsPerSecond,
        boolean consistent,
        int maxRetries,
        Path deadLetterFile,
        Path checkpointFile,
        boolean resume,
        Duration requestTimeout) {

    public CopyPlan {
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(targetTable, "targetTable");
        Objects.requireNonNull(mode, "mode");
        if (backup == null) {
            backup = mode == CopyMode.REPLACE ? BackupMode.AUTO : BackupMode.NONE;
        }
        Objects.requireNonNull(backupDirectory, "backupDirectory");
        require(threads >= 1, "threads must be at least 1: " + threads);
        require(segments >= 0 && segments <= JobDefaults.MAX_SEGMENTS, "segments must be 0 (automatic) to 100,000: " + segments);
        require(pageSize >= 1, "page size must be at least 1 item: " + pageSize);
        require(maxReadUnitsPerSecond >= 0 && maxWriteUnitsPerSecond >= 0, "capacity limits must be positive, or 0 for none");
        require(maxRetries >= 0, "retries must be 0 or more: " + maxRetries);
        require(!resume || checkpointFile != null, "a resume needs the checkpoint file to resume from");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "the request timeout must be positive: " + requestTimeout);
        if (selection != null) {
            require(selection.limit() == 0, "a copy selection has no item limit");
            require(selection.projection().isEmpty(), "a copy selection has no projection: whole items are copied");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder(String sourceTable) {
        return new Builder(sourceTable);
    }

    /** A builder starting from this plan. */
    public Builder toBuilder() {
        Builder builder = new Builder(sourceTable);
        builder.targetTable = targetTable;
        builder.mode = mode;
        builder.backup = backup;
        builder.backupDirectory = backupDirectory;
        builder.createTable = createTable;
        builder.billing = billing;
        builder.selection = selection;
        builder.threads = threads;
        builder.segments = segments;
        builder.pageSize = pageSize;
        builder.maxReadUnitsPerSecond = maxReadUnitsPerSecond;
        builder.maxWriteUnitsPerSecond = maxWriteUnitsPerSecond;
        builder.consistent = consistent;
        builder.maxRetries = maxRetries;
        builder.deadLetterFile = deadLetterFile;
        builder.checkpointFile = checkpointFile;
        builder.resume = resume;
        builder.requestTimeout = requestTimeout;
        return builder;
    }

    /**
     * The verification of what this plan copies: the same tables, selection, threads, segments,
     * page size, read limit and retries. Strongly consistent reads, so that items written just
     * before are seen, except through a GSI, which has none.
     *
     * @param source the copy's source table, as {@link CopyPreview#sourceSchema()} describes it
     */
    public VerifyPlan verifyPlan(TableSchema source) {
        boolean throughGsi = selection != null && selection.index() != null
                && source.findIndex(selection.index()).map(index -> index.kind() == IndexKind.GSI).orElse(false);
        return VerifyPlan.builder(sourceTable)
                .targetTable(targetTable)
                .selection(selection)
                .threads(threads)
                .segments(selection == null ? segments : 0)
                .pageSize(pageSize)
                .maxReadUnitsPerSecond(maxReadUnitsPerSecond)
                .consistent(!throughGsi)
                .maxRetries(maxRetries)
                .build();
    }

    /** Builds a {@link CopyPlan}; unset values take the defaults of {@link JobDefaults}. */
    public static final class Builder {
        private final String sourceTable;
        private String targetTable;
        private CopyMode mode = CopyMode.REPLACE;
        private BackupMode backup;
        private Path backupDirectory = Path.of("");
        private boolean createTable;
        private BillingChoice billing;
        private QuerySpec selection;
        private int threads = JobDefaults.THREADS;
        private int segments;
        private int pageSize = JobDefaults.PAGE_SIZE_ITEMS;
        private double maxReadUnitsPerSecond;
        private double maxWriteUnitsPerSecond;
        private boolean consistent;
        private int maxRetries = JobDefaults.MAX_RETRIES;
        private Path deadLetterFile;
        private Path checkpointFile;
        private boolean resume;
        private Duration requestTimeout = Duration.ofMillis(JobDefaults.REQUEST_TIMEOUT_MILLIS);

        private Builder(String sourceTable) {
            this.sourceTable = sourceTable;
        }

        public Builder targetTable(String name) {
            this.targetTable = name;
            return this;
        }

        public Builder mode(CopyMode value) {
            this.mode = value;
            return this;
        }

        /** How to back up the target; null (the default) for auto in replace mode, none in merge mode. */
        public Builder backup(BackupMode value) {
            this.backup = value;
            return this;
        }

        public Builder backupDirectory(Path directory) {
            this.backupDirectory = directory;
            return this;
        }

        public Builder createTable(boolean value) {
            this.createTable = value;
            return this;
        }

        public Builder billing(BillingChoice value) {
            this.billing = value;
            return this;
        }

        /** Copy only the items this query selects (on the table or one of its indexes). */
        public Builder selection(QuerySpec query) {
            this.selection = query;
            return this;
        }

        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        public Builder segments(int value) {
            this.segments = value;
            return this;
        }

        public Builder pageSize(int items) {
            this.pageSize = items;
            return this;
        }

        public Builder maxReadUnitsPerSecond(double units) {
            this.maxReadUnitsPerSecond = units;
            return this;
        }

        public Builder maxWriteUnitsPerSecond(double units) {
            this.maxWriteUnitsPerSecond = units;
            return this;
        }

        public Builder consistent(boolean value) {
            this.consistent = value;
            return this;
        }

        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        public Builder deadLetterFile(Path file) {
            this.deadLetterFile = file;
            return this;
        }

        /** Keep the copy's checkpoint in this file (none by default). */
        public Builder checkpointFile(Path file) {
            this.checkpointFile = file;
            return this;
        }

        /** Continue the copy saved in the checkpoint file instead of starting a new one. */
        public Builder resume(boolean value) {
            this.resume = value;
            return this;
        }

        /** How long one attempt of a call may take; a slower one is abandoned and retried like a network error. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public CopyPlan build() {
            return new CopyPlan(sourceTable, targetTable == null ? sourceTable : targetTable, mode, backup, backupDirectory,
                    createTable, billing, selection, threads, segments, pageSize, maxReadUnitsPerSecond, maxWriteUnitsPerSecond,
                    consistent, maxRetries, deadLetterFile, checkpointFile, resume, requestTimeout);
        }
    }
}
