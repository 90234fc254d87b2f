package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.BillingChoice;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.store.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What an import does.
 *
 * @param table           the table to write
 * @param sources         what to import, in order: export folders, prefixes holding one export, or data files (local or
 *                        {@code s3://}); several incremental exports are applied one after the other
 * @param mode            merge: write every item, delete nothing (but an incremental export's deletes); replace: the table
 *                        ends holding exactly the import's items (its other items are deleted, last)
 * @param createTable     create a missing table from the definition dynamo's export keeps (dynamo-table.json)
 * @param billing         for a created table: its billing mode, or null for the exported table's
 * @param backup          replace mode: FILE backs up a table that has items before anything is written, NONE does not
 * @param backupDirectory where backups and (by default) the dead-letter file go
 * @param deadLetterFile  where items that cannot be written go, or null for the default
 * @param threads         data files read at once, and writers
 * @param pageSize        records handed to a writer at once
 * @param maxWriteUnitsPerSecond write units per second at most; 0 for no limit
 * @param maxReadUnitsPerSecond  read units per second at most (replace mode reads the table's keys); 0 for no limit
 * @param maxRetries      retries of a throttled or failed request
 * @param s3              how to reach the bucket where it differs from the table's environment
 * @param checkpointFile  the checkpoint, or null for none
 * @param resume          continue the import the checkpoint describes
 * @param requestTimeout  how long one call may take before it is abandoned and retried
 */
@API(status = INTERNAL, since = "0.1")
public record ImportPlan(String table, List<String> sources, CopyMode mode, boolean createTable, BillingChoice billing,
        BackupMode backup, Path backupDirectory, Path deadLetterFile, int threads, int pageSize, double maxWriteUnitsPerSecond,
        double maxReadUnitsPerSecond, int maxRetries, S3Settings s3, Path checkpointFile, boolean resume, Duration requestTimeout) {

    public ImportPlan {
        Objects.requireNonNull(table, "table");
        sources = List.copyOf(sources);
        ReadPlan.require(!sources.isEmpty(), "an import needs at least one source");
        mode = mode == null ? CopyMode.MERGE : mode;
        backup = backup == null ? BackupMode.FILE : backup;
        Objects.requireNonNull(backupDirectory, "backupDirectory");
        ReadPlan.require(threads >= 1, "threads must be at least 1: " + threads);
        ReadPlan.require(pageSize >= 1, "page size must be at least 1: " + pageSize);
        ReadPlan.require(maxWriteUnitsPerSecond >= 0 && maxReadUnitsPerSecond >= 0, "capacity limits must be positive, or 0");
        ReadPlan.require(maxRetries >= 0, "retries must be 0 or more");
        s3 = s3 == null ? S3Settings.none() : s3;
        ReadPlan.require(!resume || checkpointFile != null, "a resume needs the checkpoint file");
        requestTimeout = requestTimeout == null ? Duration.ofMillis(JobDefaults.REQUEST_TIMEOUT_MILLIS) : requestTimeout;
    }

    public static Builder builder(String table, List<String> sources, Path backupDirectory) {
        return new Builder(table, sources, backupDirectory);
    }

    /** The builder: unset values take the defaults of {@link JobDefaults}. */
    public static final class Builder {
        private final String table;
        private final List<String> sources;
        private final Path backupDirectory;
        private CopyMode mode = CopyMode.MERGE;
        private boolean createTable;
        private BillingChoice billing;
        private BackupMode backup = BackupMode.FILE;
        private Path deadLetterFile;
        private int threads = JobDefaults.THREADS;
        private int pageSize = JobDefaults.PAGE_SIZE_ITEMS;
        private double maxWriteUnitsPerSecond;
        private double maxReadUnitsPerSecond;
        private int maxRetries = JobDefaults.MAX_RETRIES;
        private S3Settings s3;
        private Path checkpointFile;
        private boolean resume;
        private Duration requestTimeout;

        private Builder(String table, List<String> sources, Path backupDirectory) {
            this.table = table;
            this.sources = sources;
            this.backupDirectory = backupDirectory;
        }

        public Builder mode(CopyMode value) { this.mode = value; return this; }
        public Builder createTable(boolean value) { this.createTable = value; return this; }
        public Builder billing(BillingChoice value) { this.billing = value; return this; }
        public Builder backup(BackupMode value) { this.backup = value; return this; }
        public Builder deadLetterFile(Path value) { this.deadLetterFile = value; return this; }
        public Builder threads(int value) { this.threads = value; return this; }
        public Builder pageSize(int value) { this.pageSize = value; return this; }
        public Builder maxWriteUnitsPerSecond(double value) { this.maxWriteUnitsPerSecond = value; return this; }
        public Builder maxReadUnitsPerSecond(double value) { this.maxReadUnitsPerSecond = value; return this; }
        public Builder maxRetries(int value) { this.maxRetries = value; return this; }
        public Builder s3(S3Settings value) { this.s3 = value; return this; }
        public Builder checkpointFile(Path value) { this.checkpointFile = value; return this; }
        public Builder resume(boolean value) { this.resume = value; return this; }
        public Builder requestTimeout(Duration value) { this.requestTimeout = value; return this; }

        public ImportPlan build() {
            return new ImportPlan(table, sources, mode, createTable, billing, backup, backupDirectory, deadLetterFile, threads, pageSize,
                    maxWriteUnitsPerSecond, maxReadUnitsPerSecond, maxRetries, s3, checkpointFile, resume, requestTimeout);
        }
    }
}
