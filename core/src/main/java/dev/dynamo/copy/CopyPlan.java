package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.IndexKind;
import dev.dynamo.table.TableSchema;
import dev.dynamo.verify.VerifyPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a copy should do, fixed before it starts. Build one with {@link #builder(String)}; every
 * setting has a default. The tables, selection and read settings are the {@link ReadPlan} a
 * verification shares; they read as this plan's own ({@code plan.threads()}, {@code plan.selection()}).
 *
 * @param read                   the tables and how the source is read: source and target table (default: the source's
 *                               name), the selection (copy only what this query selects, its table the source, or null for
 *                               the whole table), writer threads (also the most segments read at once), scan segments,
 *                               page size, the read limit per table read, strongly consistent reads of the source, and
 *                               retries of a throttled or failed request before its items are dead-lettered
 * @param mode                   replace (default) or merge
 * @param backup                 how the target is backed up when it has items: default auto in replace mode, none in
 *                               merge mode (a merge deletes nothing, but may still be asked to back up what it overwrites)
 * @param backupDirectory        where backup and dead-letter files go (the CLI's default: ~/.dynamo/backups; the builder's: the current directory)
 * @param createTable            create the target from the source's definition when it does not exist
 * @param billing                billing mode of a created table, or null for the source's
 * @param maxWriteUnitsPerSecond write capacity units per second to consume at most; 0 for no limit
 * @param deadLetterFile         where items that cannot be written go, or null for
 *                               {@code TARGET-yyyyMMdd-HHmmss.failed.jsonl} in the backup directory (a resume appends
 *                               to the file of the copy it resumes)
 * @param checkpointFile         where the copy keeps its {@link CopyCheckpoint}, or null for no checkpoint (the
 *                               command line always keeps one; see {@link CopyCheckpoint#defaultFile})
 * @param resume                 continue the copy saved in {@code checkpointFile} instead of starting a new one
 * @param requestTimeout         how long one attempt of a DynamoDB call may take before it is abandoned and retried
 *                               (default {@link JobDefaults#REQUEST_TIMEOUT_MILLIS})
 * @param rewriteAll             replace mode: write every source item (to fire the target's Streams or triggers), still
 *                               without emptying the target first; merge mode: skip no item (the default)
 * @param skipUnchanged          merge mode: compare both sides first and write only the items missing from the target or
 *                               different (replace mode always does, unless {@code rewriteAll})
 * @param program                how a person runs dynamo, as the commands the copy prints for them start (the restore
 *                               command after a file backup): default {@code dynamo}; the command line passes the name it
 *                               was invoked by, such as {@code ./dynamo}. Not shell-quoted.
 */
@API(status = STABLE, since = "0.1")
public record CopyPlan(
        ReadPlan read,
        CopyMode mode,
        BackupMode backup,
        Path backupDirectory,
        boolean createTable,
        BillingChoice billing,
        double maxWriteUnitsPerSecond,
        Path deadLetterFile,
        Path checkpointFile,
        boolean resume,
        Duration requestTimeout,
        boolean rewriteAll,
        boolean skipUnchanged,
        String program) implements ReadPlan.Holder {

    /** The program name of a plan that names none. */
    public static final String DEFAULT_PROGRAM = "dynamo";

    public CopyPlan {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(mode, "mode");
        if (backup == null) {
            backup = mode == CopyMode.REPLACE ? BackupMode.AUTO : BackupMode.NONE;
        }
        Objects.requireNonNull(backupDirectory, "backupDirectory");
        ReadPlan.require(maxWriteUnitsPerSecond >= 0, "capacity limits must be positive, or 0 for none");
        ReadPlan.require(!resume || checkpointFile != null, "a resume needs the checkpoint file to resume from");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        program = program == null || program.isBlank() ? DEFAULT_PROGRAM : program;
        ReadPlan.require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "the request timeout must be positive: "
                + requestTimeout);
        ReadPlan.require(!(rewriteAll && skipUnchanged), "--rewrite-all and --skip-unchanged contradict each other");
        ReadPlan.require(!skipUnchanged || mode == CopyMode.MERGE, "--skip-unchanged is for merge mode: replace mode always "
                + "writes only what differs (unless --rewrite-all)");
        QuerySpec selection = read.selection();
        if (selection != null) {
            ReadPlan.require(selection.limit() == 0, "a copy selection has no item limit");
            ReadPlan.require(selection.projection().isEmpty(), "a copy selection has no projection: whole items are copied");
        }
    }

    public static Builder builder(String sourceTable) {
        return new Builder(sourceTable);
    }

    /** A builder starting from this plan. */
    public Builder toBuilder() {
        Builder builder = new Builder(read);
        builder.mode = mode;
        builder.backup = backup;
        builder.backupDirectory = backupDirectory;
        builder.createTable = createTable;
        builder.billing = billing;
        builder.maxWriteUnitsPerSecond = maxWriteUnitsPerSecond;
        builder.deadLetterFile = deadLetterFile;
        builder.checkpointFile = checkpointFile;
        builder.resume = resume;
        builder.requestTimeout = requestTimeout;
        builder.rewriteAll = rewriteAll;
        builder.skipUnchanged = skipUnchanged;
        builder.program = program;
        return builder;
    }

    /** True when the copy compares both sides first and acts on the difference: replace mode, or merge with skipUnchanged. */
    public boolean byDifference() {
        return mode == CopyMode.REPLACE || skipUnchanged;
    }

    /**
     * The verification of what this plan copies: the same tables, selection, threads, segments,
     * page size, read limit and retries. Strongly consistent reads, so that items written just
     * before are seen, except through a GSI, which has none.
     *
     * @param source the copy's source table, as {@link CopyPreview#sourceSchema()} describes it
     */
    public VerifyPlan verifyPlan(TableSchema source) {
        QuerySpec selection = read.selection();
        boolean throughGsi = selection != null && selection.index() != null
                && source.findIndex(selection.index()).map(index -> index.kind() == IndexKind.GSI).orElse(false);
        return VerifyPlan.builder(read.sourceTable())
                .targetTable(read.targetTable())
                .selection(selection)
                .threads(read.threads())
                .segments(selection == null ? read.segments() : 0)
                .pageSize(read.pageSize())
                .maxReadUnitsPerSecond(read.maxReadUnitsPerSecond())
                .consistent(!throughGsi)
                .maxRetries(read.maxRetries())
                .build();
    }

    /** Builds a {@link CopyPlan}; unset values take the defaults of {@link JobDefaults}. */
    public static final class Builder extends ReadPlan.Builder<Builder> {
        private CopyMode mode = CopyMode.REPLACE;
        private BackupMode backup;
        private Path backupDirectory = Path.of("");
        private boolean createTable;
        private BillingChoice billing;
        private double maxWriteUnitsPerSecond;
        private Path deadLetterFile;
        private Path checkpointFile;
        private boolean resume;
        private Duration requestTimeout = Duration.ofMillis(JobDefaults.REQUEST_TIMEOUT_MILLIS);
        private boolean rewriteAll;
        private boolean skipUnchanged;
        private String program = DEFAULT_PROGRAM;

        private Builder(String sourceTable) {
            super(sourceTable);
        }

        private Builder(ReadPlan read) {
            super(read);
        }

        /** Replace (the default: the target ends as a copy of the source) or merge (the target's other items stay). */
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

        public Builder maxWriteUnitsPerSecond(double units) {
            this.maxWriteUnitsPerSecond = units;
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

        /** Replace mode: write every source item, not only those that differ (the target is still never emptied). */
        public Builder rewriteAll(boolean value) {
            this.rewriteAll = value;
            return this;
        }

        /** Merge mode: write only the items missing from the target or different from it. */
        public Builder skipUnchanged(boolean value) {
            this.skipUnchanged = value;
            return this;
        }

        /** How a person runs dynamo, for the commands the copy prints: {@code ./dynamo}. Default {@code dynamo}. */
        public Builder program(String value) {
            this.program = value;
            return this;
        }

        public CopyPlan build() {
            // A copy names both of its limits in one message, the read limit's included.
            ReadPlan.require(readUnitsLimit() >= 0 && maxWriteUnitsPerSecond >= 0, "capacity limits must be positive, or 0 for none");
            return new CopyPlan(read(), mode, backup, backupDirectory, createTable, billing, maxWriteUnitsPerSecond, deadLetterFile,
                    checkpointFile, resume, requestTimeout, rewriteAll, skipUnchanged, program);
        }
    }
}
