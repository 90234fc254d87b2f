package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.query.QuerySpec;
import dev.dynamo.table.TableSchema;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Which two tables a bulk job works on and how it reads them: the settings a copy plan and a
 * verify plan share, with their defaults ({@link JobDefaults}) and checks written once. A plan holds
 * one and exposes its values through {@link Holder}, so {@code plan.threads()} reads the same on
 * both; each plan's builder extends {@link Builder}, so the setters read the same too.
 *
 * @param sourceTable           the table to read in the source environment
 * @param targetTable           the table in the target environment (default: the source's name)
 * @param selection             only what this query selects, or null for the whole table; each plan checks it further
 * @param threads               workers, also the most segments (or queries) read at once
 * @param segments              scan segments per table, or 0 to size them from the table size and threads
 * @param pageSize              Scan/Query page Limit, in items
 * @param maxReadUnitsPerSecond read capacity units per second to consume at most, per table read; 0 for no limit
 * @param consistent            strongly consistent reads
 * @param maxRetries            retries of a throttled or failed request before the job gives up on it
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
public record ReadPlan(
        String sourceTable,
        String targetTable,
        QuerySpec selection,
        int threads,
        int segments,
        int pageSize,
        double maxReadUnitsPerSecond,
        boolean consistent,
        int maxRetries) implements ReadPlanBuilder.With {

    public ReadPlan {
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(targetTable, "targetTable");
        require(threads >= 1, "threads must be at least 1: " + threads);
        require(segments >= 0 && segments <= JobDefaults.MAX_SEGMENTS, "segments must be 0 (automatic) to 100,000: " + segments);
        require(pageSize >= 1, "page size must be at least 1 item: " + pageSize);
        require(maxReadUnitsPerSecond >= 0, "the read capacity limit must be positive, or 0 for none");
        require(maxRetries >= 0, "retries must be 0 or more: " + maxRetries);
    }

    /** Throws {@link IllegalArgumentException} with {@code message} unless {@code condition} holds: the plans' checks. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The scan segments of {@code table}: the plan's, or sized from the table ({@link JobDefaults#segmentsFor}). */
    public int segmentsOf(TableSchema table) {
        return segments > 0 ? segments : JobDefaults.segmentsFor(table.sizeBytes(), threads);
    }

    /**
     * A plan that holds a {@link ReadPlan}: its values read as the plan's own ({@code plan.threads()}),
     * so that callers need not know which settings are shared.
     */
    public interface Holder {
        /** The shared settings. */
        ReadPlan read();

        default String sourceTable() {
            return read().sourceTable();
        }

        default String targetTable() {
            return read().targetTable();
        }

        default QuerySpec selection() {
            return read().selection();
        }

        default int threads() {
            return read().threads();
        }

        default int segments() {
            return read().segments();
        }

        default int pageSize() {
            return read().pageSize();
        }

        default double maxReadUnitsPerSecond() {
            return read().maxReadUnitsPerSecond();
        }

        default boolean consistent() {
            return read().consistent();
        }

        default int maxRetries() {
            return read().maxRetries();
        }
    }

    /**
     * The setters of the shared settings, for the builders of the plans; unset values take the
     * defaults of {@link JobDefaults}.
     *
     * @param <B> the plan's own builder, which every setter returns
     */
    public abstract static class Builder<B extends Builder<B>> {
        private final String sourceTable;
        private String targetTable;
        private QuerySpec selection;
        private int threads = JobDefaults.THREADS;
        private int segments;
        private int pageSize = JobDefaults.PAGE_SIZE_ITEMS;
        private double maxReadUnitsPerSecond;
        private boolean consistent;
        private int maxRetries = JobDefaults.MAX_RETRIES;

        protected Builder(String sourceTable) {
            this.sourceTable = sourceTable;
        }

        /** A builder starting from {@code read}. */
        protected Builder(ReadPlan read) {
            this(read.sourceTable);
            targetTable = read.targetTable;
            selection = read.selection;
            threads = read.threads;
            segments = read.segments;
            pageSize = read.pageSize;
            maxReadUnitsPerSecond = read.maxReadUnitsPerSecond;
            consistent = read.consistent;
            maxRetries = read.maxRetries;
        }

        /** This builder, as its own type: every subclass is declared {@code Builder extends ReadPlan.Builder<Builder>}. */
        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The shared settings as set; checks them. */
        protected ReadPlan read() {
            return ReadPlanBuilder.builder().sourceTable(sourceTable).targetTable(targetTable == null ? sourceTable : targetTable)
                    .selection(selection).threads(threads).segments(segments).pageSize(pageSize)
                    .maxReadUnitsPerSecond(maxReadUnitsPerSecond).consistent(consistent).maxRetries(maxRetries).build();
        }

        /** The read limit as set, for a plan that checks it together with its own limits before {@link #read()}. */
        protected double readUnitsLimit() {
            return maxReadUnitsPerSecond;
        }

        public B targetTable(String name) {
            this.targetTable = name;
            return self();
        }

        /** Only the items this query selects (on the table or one of its indexes). */
        public B selection(QuerySpec query) {
            this.selection = query;
            return self();
        }

        public B threads(int value) {
            this.threads = value;
            return self();
        }

        public B segments(int value) {
            this.segments = value;
            return self();
        }

        public B pageSize(int items) {
            this.pageSize = items;
            return self();
        }

        public B maxReadUnitsPerSecond(double units) {
            this.maxReadUnitsPerSecond = units;
            return self();
        }

        public B consistent(boolean value) {
            this.consistent = value;
            return self();
        }

        public B maxRetries(int value) {
            this.maxRetries = value;
            return self();
        }
    }
}
