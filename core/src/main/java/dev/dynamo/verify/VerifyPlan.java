package dev.dynamo.verify;

import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.query.QuerySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a verification compares, and how it reads. Build one with {@link #builder(String)}; every
 * setting has a default.
 *
 * @param sourceTable           the table to read in the source environment
 * @param targetTable           the table to compare it with (default: the source's name)
 * @param selection             compare only what this query selects on each side, or null for the whole tables;
 *                              its consistency is the plan's
 * @param threads               pages read at once (scan segments and queries of both tables together)
 * @param segments              scan segments per table, or 0 to size them from the table size and threads
 * @param pageSize              Scan/Query page Limit, in items
 * @param maxReadUnitsPerSecond read capacity units per second to consume at most, per table; 0 for no limit
 * @param consistent            strongly consistent reads (not through a GSI)
 * @param maxRetries            retries of a throttled or failed request before the verification fails
 * @param show                  how many keys of each kind of difference to report (the first in key order)
 * @param tempDirectory         where the bucket files go (a new directory in it, deleted at the end), or null for
 *                              the system's temporary directory
 * @param bucketBytes           the most bytes of bucket records held in memory at once while comparing
 */
public record VerifyPlan(
        String sourceTable,
        String targetTable,
        QuerySpec selection,
        int threads,
        int segments,
        int pageSize,
        double maxReadUnitsPerSecond,
        boolean consistent,
        int maxRetries,
        int show,
        Path tempDirectory,
        long bucketBytes) {

    /** The default of {@link #show}. */
    public static final int SHOW_KEYS = 10;
    /** The default of {@link #bucketBytes}: 8 MiB. */
    public static final long BUCKET_BYTES = 8L * 1024 * 1024;
    /** The smallest bucket budget (tests use it to force many buckets). */
    public static final long MIN_BUCKET_BYTES = 1024;

    public VerifyPlan {
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(targetTable, "targetTable");
        require(threads >= 1, "threads must be at least 1: " + threads);
        require(segments >= 0 && segments <= JobDefaults.MAX_SEGMENTS, "segments must be 0 (automatic) to 100,000: " + segments);
        require(pageSize >= 1, "page size must be at least 1 item: " + pageSize);
        require(maxReadUnitsPerSecond >= 0, "the read capacity limit must be positive, or 0 for none");
        require(maxRetries >= 0, "retries must be 0 or more: " + maxRetries);
        require(show >= 0, "show must be 0 or more: " + show);
        require(bucketBytes >= MIN_BUCKET_BYTES && bucketBytes <= Integer.MAX_VALUE / 2, "bucket bytes must be 1 KiB to 1 GiB: "
                + bucketBytes);
        if (selection != null) {
            require(selection.limit() == 0, "a verify selection has no item limit");
            require(selection.projection().isEmpty(), "a verify selection has no projection: whole items are compared");
            require(segments == 0, "a selection is read by one query per table: it has no segments");
            selection = new QuerySpec(selection.table(), selection.index(), selection.partitionValue(), selection.sortKey(),
                    selection.where(), List.of(), 0, false, consistent);
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

    /** Builds a {@link VerifyPlan}; unset values take the defaults of {@link JobDefaults} and this class. */
    public static final class Builder {
        private final String sourceTable;
        private String targetTable;
        private QuerySpec selection;
        private int threads = JobDefaults.THREADS;
        private int segments;
        private int pageSize = JobDefaults.PAGE_SIZE_ITEMS;
        private double maxReadUnitsPerSecond;
        private boolean consistent;
        private int maxRetries = JobDefaults.MAX_RETRIES;
        private int show = SHOW_KEYS;
        private Path tempDirectory;
        private long bucketBytes = BUCKET_BYTES;

        private Builder(String sourceTable) {
            this.sourceTable = sourceTable;
        }

        public Builder targetTable(String name) {
            this.targetTable = name;
            return this;
        }

        /** Compare only the items this query selects (on the table or one of its indexes) on each side. */
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

        public Builder consistent(boolean value) {
            this.consistent = value;
            return this;
        }

        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        public Builder show(int keys) {
            this.show = keys;
            return this;
        }

        public Builder tempDirectory(Path directory) {
            this.tempDirectory = directory;
            return this;
        }

        public Builder bucketBytes(long bytes) {
            this.bucketBytes = bytes;
            return this;
        }

        public VerifyPlan build() {
            return new VerifyPlan(sourceTable, targetTable == null ? sourceTable : targetTable, selection, threads, segments,
                    pageSize, maxReadUnitsPerSecond, consistent, maxRetries, show, tempDirectory, bucketBytes);
        }
    }
}
