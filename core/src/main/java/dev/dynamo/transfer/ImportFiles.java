package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.BatchWriter;
import dev.dynamo.copy.DeadLetterFile;
import dev.dynamo.env.Environment;
import dev.dynamo.items.ExportFormat;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * An import's sources resolved into data files that can be checked and written one at a time, by a job that spreads
 * them over other machines (dynamo-spark: one task per data file). The same sources, checks and writers as
 * {@link ImportJob}: resolving reads the manifests only (and checks them as the command line does); each
 * {@link DataFile} is then read again wherever it is checked ({@link DataFile#check}: MD5, record count, every line a
 * record of the table's key) or written ({@link DataFile#write}: the copy engine's {@link BatchWriter}s, puts and an
 * incremental export's deletes, dead letters). Closing releases the stores opened to resolve.
 */
@API(status = INTERNAL, since = "0.1")
public final class ImportFiles implements AutoCloseable {
    private final ImportPlan plan;
    private final Environment environment;
    private final List<ExportStore> stores = new ArrayList<>();
    private final List<ImportSource> sources = new ArrayList<>();

    private ImportFiles(ImportPlan plan, Environment environment) {
        this.plan = plan;
        this.environment = environment;
    }

    /**
     * Resolves the plan's sources as {@code dynamo import} does: manifests read and checked, sources in time order,
     * no incremental export in replace mode. Reads no data file.
     *
     * @param environment the table's, whose credentials and region reach {@code s3://} sources (unless the plan's s3 says)
     * @throws DynamoException (usage) for a source that is not an export or data file, an unfinished export, several
     *                         exports under one prefix, manifests that do not add up, incremental exports out of order
     */
    public static ImportFiles resolve(ImportPlan plan, Environment environment) {
        ImportFiles files = new ImportFiles(plan, environment);
        try {
            files.sources.addAll(ImportSources.resolve(plan, environment, files.stores));
            ImportSources.checkOrder(files.sources, plan.mode());
            return files;
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** What will be imported, one line per source. */
    public List<String> describeSources() {
        return sources.stream().map(ImportSource::description).toList();
    }

    /** How many sources: their files are written one source after the other (incremental exports in time order). */
    public int sourceCount() {
        return sources.size();
    }

    /** Every data file, source after source, each in manifest order; {@link DataFile#number()} is its place here. */
    public List<DataFile> files() {
        List<DataFile> all = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            ImportSource source = sources.get(s);
            for (ExportManifest.DataFile file : source.files()) {
                all.add(new DataFile(all.size(), s, source.store().describe(), file.name(), source.locationOf(file), source.format(),
                        file.itemCount(), file.md5(), source.incremental()));
            }
        }
        return all;
    }

    /** Records in every data file, by the manifests (-1 when a single file without one makes it unknown). */
    public long expectedRecords() {
        return ImportSources.expectedRecords(sources);
    }

    /**
     * Refuses an import that could not write a single item, as {@code dynamo import} does: a missing table without
     * create-table or without a definition to create it from, a key other than the exported table's.
     *
     * @param table the table's description, or null when it does not exist
     */
    public void checkTable(TableDescription table) {
        ImportTable.check(plan, environment, table, sources);
    }

    /** Creates the table from the first definition among the sources (with its TTL) and waits until it is ACTIVE. */
    public TableDescription createTable(DynamoDbClient client, Retrier retrier) {
        return ImportTable.create(client, environment, plan, sources, retrier);
    }

    /** The source whose definition {@link #createTable} uses, for messages. */
    public String definingSource() {
        ImportSource defining = ImportTable.defining(sources);
        return defining == null ? null : defining.description();
    }

    /** The table's key attributes and their types (S, N, B) for {@link DataFile#check}; null for a table not created yet. */
    public static Map<String, String> keyTypes(TableDescription table) {
        return ImportSources.keyTypes(table);
    }

    @Override
    public void close() {
        for (ExportStore store : stores) {
            store.close();
        }
    }

    /**
     * One data file of an import, as a worker elsewhere receives it: enough to open its store again and read it.
     *
     * @param number      its place among every data file of the import
     * @param source      its source's place among the import's sources
     * @param store       its store's location ({@code s3://bucket/prefix} or a local directory), for {@link ExportStore#open}
     * @param name        its name in the store
     * @param location    where it is, for messages
     * @param format      its format
     * @param itemCount   its records by the manifest, or -1 (a single file without one)
     * @param md5         its base64 MD5 by the manifest, or null
     * @param incremental it is a data file of an incremental export (records of changes: puts and deletes)
     */
    public record DataFile(int number, int source, String store, String name, String location, ExportFormat format, long itemCount,
            String md5, boolean incremental) implements Serializable {

        private ImportSource in(ExportStore opened) {
            ExportManifest.Summary summary = new ExportManifest.Summary(null, incremental ? ExportManifest.INCREMENTAL_EXPORT
                    : ExportManifest.FULL_EXPORT, format, Math.max(0, itemCount), null);
            return new ImportSource(opened, "", location, summary, List.of(new ExportManifest.DataFile(name, itemCount, md5, null,
                    name)), format, null);
        }

        /**
         * Reads the file whole as {@code dynamo import} does before it writes: its MD5 and record count against the
         * manifest's, every line a record holding the table's key.
         *
         * @param opened   its store, opened where this runs
         * @param keyTypes {@link ImportFiles#keyTypes} of the table, or null for a table the import creates
         * @return the records it holds
         * @throws DynamoException (failure) naming the damage; (usage) for records without the table's key
         */
        public long check(ExportStore opened, Map<String, String> keyTypes) {
            ImportSource source = in(opened);
            return source.check(source.files().get(0), new LongAdder(), keyTypes);
        }

        /**
         * Writes the file's records to {@code target}: pages of {@code pageSize} records (at most 1,000) to
         * {@code writers} threads, each with a put and a delete {@link BatchWriter} (retries, the target's write
         * limiter, dead letters), counted in {@code counters}. Returns once every record is written, deleted or
         * dead-lettered; puts and deletes are idempotent, so writing a file again (a retried task) ends the same.
         *
         * @param wrap wraps each writer thread's consumer (the identity, or a caller's hook that watches pages)
         * @return the records read
         * @throws DynamoException (failure) when the file now holds another number of records than its manifest says
         * @throws IllegalStateException when a record was neither written nor dead-lettered (never expected)
         */
        public long write(ExportStore opened, TableRef target, Retrier retrier, JobCounters counters, DeadLetterFile deadLetters,
                int writers, int pageSize, StopSignal stop, UnaryOperator<PagePipeline.PageConsumer> wrap) {
            ImportSource source = in(opened);
            SegmentAcks acks = new SegmentAcks(1);
            LongAdder read = new LongAdder();
            long before = counters.written.sum() + counters.deleted.sum() + counters.failed.sum();
            PagePipeline.run("import-file-" + number, List.of(new ImportFile(source, 0, acks, Math.min(pageSize, 1000), read, stop)),
                    1, writers, JobDefaults.readAheadPages(writers), () -> wrap.apply(ImportFile.writers(
                            new BatchWriter(target, BatchWriter.Kind.PUT, retrier, counters, deadLetters, acks, stop),
                            new BatchWriter(target, BatchWriter.Kind.DELETE, retrier, counters, deadLetters, acks, stop))), stop);
            long handled = counters.written.sum() + counters.deleted.sum() + counters.failed.sum() - before;
            if (!acks.allFinished() || handled != read.sum()) {
                throw new IllegalStateException(location + ": " + read.sum() + " records read, " + handled
                        + " written, deleted or dead-lettered, every page acknowledged: " + acks.allFinished());
            }
            return read.sum();
        }
    }
}
