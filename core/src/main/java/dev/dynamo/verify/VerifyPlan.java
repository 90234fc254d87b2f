package dev.dynamo.verify;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.ReadPlan;
import dev.dynamo.query.QuerySpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a verification compares, and how it reads. Build one with {@link #builder(String)}; every
 * setting has a default. The tables, selection and read settings are the {@link ReadPlan} a copy
 * shares; they read as this plan's own ({@code plan.threads()}, {@code plan.selection()}).
 *
 * @param read          the tables and how both are read: source and target table (default: the source's name), the
 *                      selection (compare only what this query selects on each side, or null for the whole tables; its
 *                      consistency is the plan's), pages read at once (scan segments and queries of both tables
 *                      together), scan segments per table, page size, the read limit per table, strongly consistent
 *                      reads (not through a GSI), and retries of a throttled or failed request before the verification fails
 * @param show          how many keys of each kind of difference to report (the first in key order)
 * @param tempDirectory where the bucket files go (a new directory in it, deleted at the end), or null for
 *                      the system's temporary directory
 * @param bucketBytes   the most bytes of bucket records held in memory at once while comparing
 */
@API(status = STABLE, since = "0.1")
public record VerifyPlan(ReadPlan read, int show, Path tempDirectory, long bucketBytes) implements ReadPlan.Holder {

    /** The default of {@link #show}. */
    public static final int SHOW_KEYS = 10;
    /** The default of {@link #bucketBytes}: 8 MiB. */
    static final long BUCKET_BYTES = 8L * 1024 * 1024;
    /** The smallest bucket budget (tests use it to force many buckets). */
    static final long MIN_BUCKET_BYTES = 1024;

    public VerifyPlan {
        Objects.requireNonNull(read, "read");
        ReadPlan.require(show >= 0, "show must be 0 or more: " + show);
        ReadPlan.require(bucketBytes >= MIN_BUCKET_BYTES && bucketBytes <= Integer.MAX_VALUE / 2, "bucket bytes must be 1 KiB to 1 GiB: "
                + bucketBytes);
        QuerySpec selection = read.selection();
        if (selection != null) {
            ReadPlan.require(selection.limit() == 0, "a verify selection has no item limit");
            ReadPlan.require(selection.projection().isEmpty(), "a verify selection has no projection: whole items are compared");
            ReadPlan.require(read.segments() == 0, "a selection is read by one query per table: it has no segments");
            read = read.withSelection(selection.toBuilder().projection(List.of()).limit(0).descending(false)
                    .consistent(read.consistent()).build());
        }
    }

    public static Builder builder(String sourceTable) {
        return new Builder(sourceTable);
    }

    /** Builds a {@link VerifyPlan}; unset values take the defaults of {@link JobDefaults} and this class. */
    public static final class Builder extends ReadPlan.Builder<Builder> {
        private int show = SHOW_KEYS;
        private Path tempDirectory;
        private long bucketBytes = BUCKET_BYTES;

        private Builder(String sourceTable) {
            super(sourceTable);
        }

        /**
         * Report the first {@code keys} keys of each kind of difference, in key order ({@value #SHOW_KEYS} by default);
         * 0 reports the counts only.
         */
        public Builder show(int keys) {
            this.show = keys;
            return this;
        }

        /**
         * Put the bucket files in a new directory in {@code directory}, deleted at the end (by default in the
         * system's temporary directory).
         */
        public Builder tempDirectory(Path directory) {
            this.tempDirectory = directory;
            return this;
        }

        /**
         * Hold at most {@code bytes} of bucket records in memory while comparing: 1 KiB to 1 GiB, 8 MiB by default.
         * A smaller budget means more, smaller buckets.
         */
        Builder bucketBytes(long bytes) {
            this.bucketBytes = bytes;
            return this;
        }

        public VerifyPlan build() {
            return new VerifyPlan(read(), show, tempDirectory, bucketBytes);
        }
    }
}
