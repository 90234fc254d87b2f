package dev.dynamo.transfer;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.items.ExportManifest;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.Retrier;
import dev.dynamo.pipeline.ScanSegment;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.StopSignal;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.store.ExportStore;
import dev.dynamo.store.StoredObject;
import dev.dynamo.store.StoredOutput;
import dev.dynamo.table.TableDefinitionJson;
import dev.dynamo.table.TableSchema;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * One export's folder in a store, {@code DEST/AWSDynamoDB/ID/} ({@link ExportManifest}): what {@link ExportJob} writes
 * there, in the same order and bytes, for it and for a job that runs the scan segments elsewhere (dynamo-spark's
 * tasks, each with its own store): {@link #start} writes {@code _started} and dynamo-table.json, {@link #exportSegment}
 * one segment's data files, {@link #finish} manifest-files.json and, last, manifest-summary.json.
 *
 * <p>Thread-safe as its store is: writers of different segments share one instance or each have their own.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExportFolder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ExportStore store;
    private final String destination;
    private final String exportId;
    /** {@code AWSDynamoDB/ID/}. */
    private final String folder;
    /** The prefix the data files' keys start with, from the bucket's root: "" or "some/prefix". */
    private final String keyPrefix;

    /**
     * @param destination the export's destination as given ({@code s3://bucket/prefix} or a local folder), which names
     *                    the bucket and prefix in the manifests
     */
    public ExportFolder(ExportStore store, String destination, String exportId) {
        this.store = store;
        this.destination = destination;
        this.exportId = exportId;
        this.folder = ExportManifest.folder(exportId);
        this.keyPrefix = ExportJob.keyPrefix(destination);
    }

    /** A new export's id, as DynamoDB makes one: the export's start in milliseconds, and a random part. */
    public static String newExportId(Instant start) {
        return String.format(Locale.ROOT, "%014d-%08x", start.toEpochMilli(), RANDOM.nextInt());
    }

    /** Now, as an export's start and end times are written (milliseconds). */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public String exportId() {
        return exportId;
    }

    /** The folder, as a user would write it ({@code s3://bucket/prefix/AWSDynamoDB/ID} or a local path). */
    public String location() {
        return store.locationOf(folder.substring(0, folder.length() - 1));
    }

    /** Where a name of the folder is, as a user would write it. */
    public String locationOf(String name) {
        return store.locationOf(folder + name);
    }

    /** Whether the export began here: its {@code _started} is there. */
    public boolean started() {
        return store.stat(folder + ExportManifest.STARTED).isPresent();
    }

    /**
     * Begins the export: an empty {@code _started}, then dynamo-table.json (the table's definition).
     *
     * @param timeToLiveAttribute the table's TTL attribute when TTL is enabled, or null
     * @throws DynamoException (failure) when the store cannot write them
     */
    public void start(TableDescription table, String timeToLiveAttribute) {
        put(folder + ExportManifest.STARTED, new byte[0]);
        put(folder + ExportManifest.TABLE, TableDefinitionJson.write(table, timeToLiveAttribute));
    }

    /** The data files in the folder, by name ({@code AWSDynamoDB/ID/data/...}, from the store's root). */
    public List<StoredObject> dataFiles() {
        return store.list(folder + "data/");
    }

    /** Deletes a data file, named as {@link ExportManifest.DataFile#name()} is while written ({@code data/...}). */
    public void deleteDataFile(String name) {
        if (!name.startsWith("data/")) {
            throw new IllegalArgumentException("not a data file's name: " + name);
        }
        store.delete(folder + name);
    }

    /** A data file's name from the store's root, as {@link #dataFiles()} lists it. */
    public String storeName(String name) {
        return folder + name;
    }

    /**
     * Finishes the export: manifest-files.json listing {@code files}, then, last, manifest-summary.json, which makes it a
     * complete export.
     *
     * @param files     every data file, each once, in the order the manifest lists them
     * @param startTime the export's start (ISO-8601), as its summary gives it
     * @throws DynamoException (failure) when the store cannot write them
     */
    public void finish(List<ExportManifest.DataFile> files, TableDescription table, String startTime,
            dev.dynamo.items.ExportFormat format) {
        long items = files.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
        String bucket = destination.startsWith("s3://") ? ExportJob.bucketOf(destination) : null;
        put(folder + ExportManifest.FILES, ExportManifest.filesJson(files));
        // Last: a folder with a summary is a complete export.
        put(folder + ExportManifest.SUMMARY, ExportManifest.summaryJson(new ExportManifest.Written(exportId, table.tableArn(),
                table.tableId(), bucket, keyPrefix, startTime, now().toString(), format, items, 0)));
    }

    /**
     * What one segment's export wrote.
     *
     * @param files the data files it committed, in order
     * @param items the items read, each in exactly one of the files
     */
    public record SegmentResult(List<StoredFile> files, long items) {
        /** The files' bytes as stored. */
        public long storedBytes() {
            return files.stream().mapToLong(StoredFile::bytes).sum();
        }
    }

    /**
     * A data file committed.
     *
     * @param file  its manifest line (its name relative to the folder: {@code data/...})
     * @param bytes its length as stored
     */
    public record StoredFile(ExportManifest.DataFile file, long bytes) {
    }

    /**
     * Exports scan segment {@code segment} of {@code plan.segments()} into data files of this folder, each named with
     * {@code fileTag} ({@code data/s00003-TAG-00000.json.gz}) so that writers of one segment never share a name, and
     * committed at {@code plan.maxFileBytes()} and at the end. A failure or stop part way discards the file under way
     * (committed ones stay: the caller owns them) and throws.
     *
     * @param table    the table read, with its read limiter
     * @param counters counts the items read ({@code scanned}) and written to files ({@code written}), and read units
     * @throws DynamoException (interrupted) when {@code stop} stopped it; others from DynamoDB or the store
     */
    public SegmentResult exportSegment(ExportPlan plan, TableRef table, Retrier retrier, JobCounters counters, int segment,
            String fileTag, StopSignal stop) throws InterruptedException {
        int segments = plan.read().segments();
        if (segments < 1 || segment < 0 || segment >= segments) {
            throw new IllegalArgumentException("segment " + segment + " of " + segments);
        }
        SegmentAcks acks = new SegmentAcks(segments);
        List<SegmentAcks.Checkpoint> start = new ArrayList<>();
        List<List<ExportManifest.DataFile>> files = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            start.add(SegmentAcks.Checkpoint.start(i));
            files.add(new ArrayList<>());
        }
        ExportRun run = new ExportRun(plan, store, exportId, keyPrefix, "", TransferCheckpoint.JSON.createObjectNode(), acks, start,
                files, counters, table.keys().names(), fileTag);
        new ExportSegment(run, segment, scan(plan, table, retrier, counters, acks, segment, stop)).produce(null);
        SegmentAcks.Checkpoint position = acks.checkpoint(segment);
        if (!position.finished()) {
            throw new DynamoException(ExitCode.INTERRUPTED, "stopped: segment " + segment + " of the export at " + location()
                    + " did not finish");
        }
        List<ExportManifest.DataFile> written = run.allFiles();
        long inFiles = written.stream().mapToLong(ExportManifest.DataFile::itemCount).sum();
        if (inFiles != position.completedItems()) {
            throw new IllegalStateException("export accounting mismatch in segment " + segment + ": " + position.completedItems()
                    + " items read, " + inFiles + " in data files");
        }
        List<StoredFile> stored = new ArrayList<>();
        for (ExportManifest.DataFile file : written) {
            stored.add(new StoredFile(file, run.committedBytes(file.name())));
        }
        return new SegmentResult(stored, inFiles);
    }

    /** The Scan of one segment, its pages kept as the JSON DynamoDB sent: DynamoDB JSON data files get its bytes unchanged. */
    static ScanSegment scan(ExportPlan plan, TableRef table, Retrier retrier, JobCounters counters, SegmentAcks acks, int segment,
            StopSignal stop) {
        TableSchema schema = table.schema();
        ScanRequest all = ScanRequest.builder().tableName(schema.name()).limit(plan.pageSize())
                .consistentRead(plan.consistent() ? Boolean.TRUE : null).build();
        RawItems.Shape raw = new RawItems.Shape(schema.keys().names(), List.of());
        return new ScanSegment(new TableReads(table, retrier, counters), all, segment, acks, counters.scanned,
                Estimates.firstPageUnits(schema, all, plan.pageSize()), stop, raw);
    }

    private void put(String name, byte[] bytes) {
        try (StoredOutput out = store.create(name)) {
            out.stream().write(bytes);
            out.commit();
        } catch (IOException e) {
            throw DynamoException.failure("cannot write " + store.locationOf(name) + ": " + e.getMessage(), e);
        }
    }
}
