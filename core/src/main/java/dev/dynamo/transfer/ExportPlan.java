package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.items.ExportFormat;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.store.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What an export does: which table (or selection) it reads and how ({@link ReadPlan}), where it writes and in which
 * format, and its checkpoint.
 *
 * @param destination    a local folder or {@code s3://bucket/prefix}: the export goes to {@code DEST/AWSDynamoDB/ID/}
 * @param format         the data files' format
 * @param s3             how to reach the bucket where it differs from the table's environment
 * @param maxFileBytes   a data file is closed and a new one begun once this many bytes of items (before gzip) are in it
 * @param checkpointFile where the export keeps its checkpoint, or null for none
 * @param resume         continue the export the checkpoint describes
 * @param requestTimeout how long one DynamoDB call may take before it is abandoned and retried
 */
@API(status = INTERNAL, since = "0.1")
public record ExportPlan(ReadPlan read, String destination, ExportFormat format, S3Settings s3, long maxFileBytes,
        Path checkpointFile, boolean resume, Duration requestTimeout) implements ReadPlan.Holder {
    /** 128 MiB of item JSON: some 20 MB of gzip, a file that a resume rewrites in seconds. */
    public static final long DEFAULT_MAX_FILE_BYTES = 128L << 20;

    public ExportPlan {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(format, "format");
        s3 = s3 == null ? S3Settings.none() : s3;
        ReadPlan.require(maxFileBytes >= 1, "the data file size must be positive: " + maxFileBytes);
        ReadPlan.require(!resume || checkpointFile != null, "a resume needs the checkpoint file");
        requestTimeout = requestTimeout == null ? Duration.ofMillis(JobDefaults.REQUEST_TIMEOUT_MILLIS) : requestTimeout;
    }

    public static Builder builder(String table, String destination) {
        return new Builder(table, destination);
    }

    /** The plan's builder: the read settings of {@link ReadPlan.Builder}, and the export's own. */
    public static final class Builder extends ReadPlan.Builder<Builder> {
        private final String destination;
        private ExportFormat format = ExportFormat.DYNAMODB_JSON;
        private S3Settings s3;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private Path checkpointFile;
        private boolean resume;
        private Duration requestTimeout;

        private Builder(String table, String destination) {
            super(table);
            this.destination = destination;
        }

        public Builder format(ExportFormat value) {
            this.format = value;
            return this;
        }

        public Builder s3(S3Settings value) {
            this.s3 = value;
            return this;
        }

        public Builder maxFileBytes(long value) {
            this.maxFileBytes = value;
            return this;
        }

        public Builder checkpointFile(Path value) {
            this.checkpointFile = value;
            return this;
        }

        public Builder resume(boolean value) {
            this.resume = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public ExportPlan build() {
            return new ExportPlan(read(), destination, format, s3, maxFileBytes, checkpointFile, resume, requestTimeout);
        }
    }
}
