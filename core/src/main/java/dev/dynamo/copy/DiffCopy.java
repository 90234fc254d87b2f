package dev.dynamo.copy;

import dev.dynamo.DynamoException;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.TableRef;
import dev.dynamo.pipeline.WriteUnits;
import dev.dynamo.table.KeySchema;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A copy by difference: makes the target (or the target's selection) equal to the source's without
 * ever emptying it. Steps, each saved in the checkpoint before it changes anything:
 * <ol>
 * <li><b>Compare</b> ({@link TableComparison}): both sides are read at once, matched by primary key
 * and compared by value (numbers by value, sets in any order); the keys to write (missing from the
 * target, or different) and to delete (extra in the target; replace mode only) go to two key files
 * in the copy's work directory. Memory stays bounded: the comparison spills to disk.</li>
 * <li>Nothing differs: done, untouched and not backed up ("already equal").</li>
 * <li><b>Back up</b> the target (unless {@code --backup none}).</li>
 * <li><b>Write</b> what differs: the keys to write are read again from the source by BatchGetItem, 100
 * at a time, or, where that costs more read units than one more pass, by a second scan of the
 * source that writes only the items a {@link KeyFilter} of those keys lets through (with
 * {@code --rewrite-all}: every item). Units of work are chunks of keys (or scan segments), so a
 * resume continues after the last acknowledged one.</li>
 * <li><b>Delete</b> the target's extra keys, last: a reader never misses an item the source has.</li>
 * </ol>
 *
 * <p>Items that change on the source while the copy runs are copied as the write step reads them; an
 * item deleted from the source after the comparison is not written (and counted in the log).
 */
final class DiffCopy {
    private static final Logger LOG = LoggerFactory.getLogger(DiffCopy.class);
    /** The most bytes of (key, digest) records compared in memory at once. */
    static final long BUCKET_BYTES = 8L * 1024 * 1024;
    /** Keys per chunk at the least: one BatchGetItem. */
    static final int MIN_KEYS_PER_CHUNK = JobDefaults.MAX_BATCH_GET_KEYS;
    /** Chunks at the most, so that a checkpoint of their positions stays small. */
    static final int MAX_CHUNKS = 50_000;

    private final CopyRun run;
    private final boolean deletes;
    private final boolean rewriteAll;
    private final LongAdder vanished = new LongAdder();
    /** The write stage's acknowledgements, once it has begun (chunks of keys, or the second scan's segments). */
    private volatile SegmentAcks writeAcks;

    DiffCopy(CopyRun run) {
        this.run = run;
        this.deletes = run.plan.mode() == CopyMode.REPLACE;
        this.rewriteAll = run.plan.rewriteAll();
    }

    /** The write stage's acknowledgements, or null before it begins. */
    SegmentAcks writeAcks() {
        return writeAcks;
    }

    void run() throws InterruptedException {
        CopyCheckpoint resumed = run.resumeFrom;
        CopyCheckpoint.Stage stage = resumed == null ? CopyCheckpoint.Stage.START : resumed.stage();
        CopyCheckpoint.Difference difference;
        if (stage == CopyCheckpoint.Stage.START) {
            difference = compare();
            run.checkpoints.compared(difference);
        } else {
            difference = resumed.difference();
            run.backup = resumed.backup();
            checkKeyFiles(difference);
        }
        run.difference = difference;
        run.counters.unchanged.add(difference.unchanged());
        if (difference.none() && !rewriteAll) {
            run.listener.notice(String.format("%s already equals %s (%,d items unchanged): nothing written, deleted or backed up",
                    run.target.describe(), run.source.describe(), difference.unchanged()));
            removeWorkDirectory(difference.directory());
            return;
        }
        run.checkStop();
        if ((stage == CopyCheckpoint.Stage.START || stage == CopyCheckpoint.Stage.COMPARED) && run.preview.targetHasItems()
                && run.backUpWithAwsOrNeedFile()) {
            backUpToFile();
        }
        run.checkStop();
        if (stage != CopyCheckpoint.Stage.DELETE) {
            write(difference, stage == CopyCheckpoint.Stage.COPY ? SegmentAcks.resume(resumed.segments()) : null);
        }
        if (deletes && difference.toDelete() > 0) {
            run.checkStop();
            delete(difference, stage == CopyCheckpoint.Stage.DELETE ? SegmentAcks.resume(resumed.segments()) : null);
        }
        if (vanished.sum() > 0) {
            LOG.info("{} items that differed were deleted from the source before they could be read again: not written",
                    vanished.sum());
        }
        removeWorkDirectory(difference.directory());
    }

    /** Reads both sides, compares them and saves the keys to act on. */
    private CopyCheckpoint.Difference compare() throws InterruptedException {
        Path work = workDirectory();
        Path spool;
        try {
            PrivateFiles.createDirectories(work);
            spool = Files.createTempDirectory(work, "compare-");
        } catch (IOException e) {
            throw workFailure(work, e);
        }
        TableComparison comparison = new TableComparison(run.plan.read(), BUCKET_BYTES, run.retrier, run.counters, run.stop);
        long expected = run.selection() == null ? run.source.schema().itemCount() + run.target.schema().itemCount() : 0;
        run.counters.startPhase(JobPhase.COMPARE, expected, () -> comparison.sourceItems() + comparison.targetItems());
        long[] unchanged = {0};
        long writes;
        long deleteCount;
        try (KeyFile.Writer toWrite = new KeyFile.Writer(work.resolve("write-keys"));
                KeyFile.Writer toDelete = new KeyFile.Writer(work.resolve("delete-keys"))) {
            comparison.run(run.source, run.target, spool, new TableComparison.Sink() {
                @Override
                public void matching() {
                    unchanged[0]++;
                }

                @Override
                public void missing(byte[] key, int offset, int length) throws IOException {
                    toWrite.append(key, offset, length);
                }

                @Override
                public void extra(byte[] key, int offset, int length) throws IOException {
                    if (deletes) {
                        toDelete.append(key, offset, length);
                    }
                }

                @Override
                public void different(byte[] key, int offset, int length) throws IOException {
                    toWrite.append(key, offset, length);
                }
            }, () -> { });
            writes = toWrite.count();
            deleteCount = toDelete.count();
        } catch (IOException | UncheckedIOException e) {
            throw workFailure(work, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        } finally {
            removeWorkDirectory(spool);
        }
        PrivateFiles.syncDirectory(work);
        int keysPerChunk = keysPerChunk(Math.max(writes, deleteCount));
        boolean byScan = rewriteAll || secondScanIsCheaper(writes, comparison.sourceItems());
        // compared Orders with Orders: 300 to write, 100 to delete, 19,600 unchanged
        LOG.info("compared {} with {}: {} to write, {} to delete, {} unchanged", run.source.describe(), run.target.describe(),
                writes, deleteCount, unchanged[0]);
        return new CopyCheckpoint.Difference(work, writes, deleteCount, unchanged[0], byScan, keysPerChunk);
    }

    /**
     * Whether reading the items to write by a second pass over the source (a scan, or the selection's
     * query) costs fewer read units than reading them by key, and so is the way they are read: a
     * BatchGetItem reads each item rounded up to 4 KB, a scan reads the items' bytes together.
     */
    private boolean secondScanIsCheaper(long writes, long sourceItems) {
        if (writes == 0) {
            return false;
        }
        double itemBytes = Estimates.averageItemBytes(run.source.schema());
        double perItemByKey = Math.ceil(itemBytes / JobDefaults.READ_UNIT_BYTES);
        double byKey = writes * perItemByKey;
        double byScan = sourceItems * itemBytes / JobDefaults.READ_UNIT_BYTES;
        boolean scan = byScan < byKey;
        // writing 300 items that differ: by key (BatchGetItem), about 300 read units, rather than a second scan, about 4,883
        LOG.info("writing {} items that differ: {}", writes, scan
                ? String.format("by a second scan, about %,.0f read units, rather than by key (BatchGetItem), about %,.0f", byScan, byKey)
                : String.format("by key (BatchGetItem), about %,.0f read units, rather than a second scan, about %,.0f", byKey, byScan));
        return scan;
    }

    private static int keysPerChunk(long keys) {
        long perChunk = Math.max(MIN_KEYS_PER_CHUNK, (keys + MAX_CHUNKS - 1) / MAX_CHUNKS);
        return (int) ((perChunk + MIN_KEYS_PER_CHUNK - 1) / MIN_KEYS_PER_CHUNK * MIN_KEYS_PER_CHUNK);
    }

    private void backUpToFile() throws InterruptedException {
        TableRef target = run.target;
        if (run.selection() == null) {
            run.counters.startPhase(JobPhase.BACKUP, target.schema().itemCount());
            run.backUpToFile(target.describe(), writer -> {
                SegmentAcks backupAcks = new SegmentAcks(run.segments(target.schema()));
                // Strongly consistent: the backup holds every item written before it began.
                ScanRequest all = ScanRequest.builder().tableName(target.name()).limit(run.plan.pageSize()).consistentRead(true).build();
                run.scan("backup", target, all, backupAcks, null, 1, () -> new FileSink(writer, run.counters, backupAcks));
                if (!backupAcks.allFinished()) {
                    throw new IllegalStateException("backup accounting mismatch: not every page of the backup scan was saved");
                }
            });
        } else {
            run.counters.startPhase(JobPhase.BACKUP, 0);
            run.backUpToFile("the selected items of " + target.describe(),
                    writer -> SelectionCopy.readTarget(run, run.selection(), new HashMap<>(), writer));
        }
    }

    /** Writes the items to write (every source item with --rewrite-all), reading them as the comparison chose. */
    private void write(CopyCheckpoint.Difference difference, SegmentAcks resumed) {
        run.counters.startPhase(JobPhase.COPY, rewriteAll ? run.source.schema().itemCount() : difference.toWrite());
        if (difference.byScan()) {
            writeByScan(difference, resumed);
        } else {
            writeByKey(difference, resumed);
        }
    }

    private void writeByKey(CopyCheckpoint.Difference difference, SegmentAcks resumed) {
        long keys = difference.toWrite();
        SegmentAcks acks = resumed != null ? resumed : new SegmentAcks(difference.chunks(keys));
        writeAcks = acks;
        run.checkpoints.working(CopyCheckpoint.Stage.COPY, acks, run.backup);
        long[] offsets = offsets(difference.writeKeys(), keys, difference.keysPerChunk());
        TableReads reads = new TableReads(run.source, run.retrier, run.counters);
        double unitsPerItem = Estimates.itemUnits(run.source.schema(), run.plan.consistent());
        KeySchema keySchema = run.source.keys();
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        for (int chunk = 0; chunk < acks.segmentCount(); chunk++) {
            if (acks.checkpoint(chunk).finished()) {
                continue;
            }
            int at = chunk;
            long count = Math.min(difference.keysPerChunk(), keys - (long) chunk * difference.keysPerChunk());
            producers.add(sink -> {
                if (run.stop.requested()) {
                    return;
                }
                sink.reserve();
                List<Map<String, AttributeValue>> chunkKeys = readChunk(difference.writeKeys(), offsets[at], count, keySchema);
                List<Map<String, AttributeValue>> items = reads.batchGet(chunkKeys, run.plan.consistent(), unitsPerItem);
                run.counters.scanned.add(items.size());
                vanished.add(chunkKeys.size() - items.size());
                long sequence = acks.pageRead(at, items.size(), null);
                if (!items.isEmpty()) {
                    sink.put(new Page(at, sequence, items));
                }
            });
        }
        run.pipeline("write", producers, Math.min(producers.size(), run.plan.threads()), run.plan.threads(), run.putWriters(acks));
        run.checkpoints.copied();
        if (!acks.allFinished()) {
            throw new IllegalStateException("write accounting mismatch: not every chunk of keys to write was acknowledged");
        }
    }

    /** A second pass over the source, writing the items whose key is to be written (every item with --rewrite-all). */
    private void writeByScan(CopyCheckpoint.Difference difference, SegmentAcks resumed) {
        KeyFilter filter = rewriteAll ? null : filter(difference);
        KeySchema keySchema = run.source.keys();
        Supplier<PagePipeline.PageConsumer> writers;
        if (run.selection() == null) {
            SegmentAcks acks = resumed != null ? resumed : new SegmentAcks(run.preview.segments());
            writeAcks = acks;
            run.checkpoints.working(CopyCheckpoint.Stage.COPY, acks, run.backup);
            writers = filtered(run.putWriters(acks), acks, filter, keySchema);
            ScanRequest all = ScanRequest.builder().tableName(run.source.name()).limit(run.plan.pageSize())
                    .consistentRead(run.plan.consistent() ? Boolean.TRUE : null).build();
            RawItems.Shape raw = new RawItems.Shape(run.target.keys().names(), new WriteUnits(run.target.schema()).sizedNames());
            run.scan("write", run.source, all, acks, run.counters.scanned, run.plan.threads(), writers, raw);
            run.checkpoints.copied();
            if (!acks.allFinished()) {
                throw new IllegalStateException("write accounting mismatch: not every segment of the second scan was acknowledged");
            }
        } else {
            SegmentAcks acks = resumed != null ? resumed : new SegmentAcks(1);
            writeAcks = acks;
            run.checkpoints.working(CopyCheckpoint.Stage.COPY, acks, run.backup);
            writers = filtered(run.putWriters(acks), acks, filter, keySchema);
            SelectionQuery source = SelectionCopy.sourceQuery(run, run.selection(), null, acks);
            run.pipeline("write", List.of(source), 1, run.plan.threads(), writers);
            run.checkpoints.copied();
        }
    }

    /** The put writers, behind a filter that acknowledges at once the items it holds back. */
    private static Supplier<PagePipeline.PageConsumer> filtered(Supplier<PagePipeline.PageConsumer> writers, SegmentAcks acks,
            KeyFilter filter, KeySchema keys) {
        if (filter == null) {
            return writers;
        }
        return () -> {
            PagePipeline.PageConsumer writer = writers.get();
            return new PagePipeline.PageConsumer() {
                @Override
                public void consume(Page page) throws InterruptedException {
                    List<Map<String, AttributeValue>> items = page.items();
                    int[] kept = new int[items.size()];
                    int count = 0;
                    for (int i = 0; i < items.size(); i++) {
                        Map<String, AttributeValue> key = items instanceof RawItems raw ? raw.keyOf(i) : keys.keyOf(items.get(i));
                        if (filter.mightContain(TableComparison.encodeKey(keys, key))) {
                            kept[count++] = i;
                        }
                    }
                    int skipped = items.size() - count;
                    if (skipped > 0) {
                        acks.acknowledge(page.segment(), page.sequence(), skipped);
                    }
                    if (count == 0) {
                        return;
                    }
                    List<Map<String, AttributeValue>> passed;
                    if (count == items.size()) {
                        passed = items;
                    } else if (items instanceof RawItems raw) {
                        passed = raw.select(java.util.Arrays.copyOf(kept, count));
                    } else {
                        passed = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            passed.add(items.get(kept[i]));
                        }
                    }
                    writer.consume(new Page(page.segment(), page.sequence(), passed));
                }

                @Override
                public void finish() throws InterruptedException {
                    writer.finish();
                }
            };
        };
    }

    private KeyFilter filter(CopyCheckpoint.Difference difference) {
        KeyFilter filter = new KeyFilter(difference.toWrite());
        try {
            KeyFile.forEach(difference.writeKeys(), difference.toWrite(), filter::add);
        } catch (IOException e) {
            throw workFailure(difference.directory(), e);
        }
        return filter;
    }

    /** Deletes the target's extra keys, chunk by chunk. */
    private void delete(CopyCheckpoint.Difference difference, SegmentAcks resumed) {
        long keys = difference.toDelete();
        SegmentAcks acks = resumed != null ? resumed : new SegmentAcks(difference.chunks(keys));
        run.checkpoints.working(CopyCheckpoint.Stage.DELETE, acks, run.backup);
        run.counters.startPhase(JobPhase.DELETE, keys);
        long[] offsets = offsets(difference.deleteKeys(), keys, difference.keysPerChunk());
        KeySchema keySchema = run.target.keys();
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        for (int chunk = 0; chunk < acks.segmentCount(); chunk++) {
            if (acks.checkpoint(chunk).finished()) {
                continue;
            }
            int at = chunk;
            long count = Math.min(difference.keysPerChunk(), keys - (long) chunk * difference.keysPerChunk());
            producers.add(sink -> {
                if (run.stop.requested()) {
                    return;
                }
                sink.reserve();
                List<Map<String, AttributeValue>> chunkKeys = readChunk(difference.deleteKeys(), offsets[at], count, keySchema);
                long sequence = acks.pageRead(at, chunkKeys.size(), null);
                sink.put(new Page(at, sequence, chunkKeys));
            });
        }
        run.pipeline("delete", producers, Math.min(producers.size(), run.plan.threads()), run.plan.threads(),
                run.deleteWriters(acks));
        run.checkpoints.copied();
        if (!acks.allFinished()) {
            throw new IllegalStateException("delete accounting mismatch: not every chunk of keys to delete was acknowledged");
        }
    }

    private static List<Map<String, AttributeValue>> readChunk(Path file, long offset, long count, KeySchema keys) {
        try {
            return KeyFile.readChunk(file, offset, count, keys);
        } catch (IOException e) {
            throw workFailure(file.getParent(), e);
        }
    }

    private static long[] offsets(Path file, long keys, int keysPerChunk) {
        try {
            return KeyFile.chunkOffsets(file, keys, keysPerChunk);
        } catch (IOException e) {
            throw workFailure(file.getParent(), e);
        }
    }

    /**
     * Where the comparison's key files live: beside the checkpoint ({@code NAME.json} → {@code NAME.keys/}), so that a
     * resume finds them; in the temporary directory for a copy that keeps no checkpoint.
     */
    private Path workDirectory() {
        Path checkpoint = run.plan.checkpointFile();
        if (checkpoint != null) {
            return keysDirectory(checkpoint);
        }
        try {
            return Files.createTempDirectory("dynamo-copy-");
        } catch (IOException e) {
            throw workFailure(Path.of(System.getProperty("java.io.tmpdir")), e);
        }
    }

    /** The directory of the key files of the copy whose checkpoint is {@code checkpoint}: {@code NAME.json} → {@code NAME.keys}. */
    static Path keysDirectory(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return checkpoint.toAbsolutePath().resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name)
                + ".keys");
    }

    private static void checkKeyFiles(CopyCheckpoint.Difference difference) {
        for (Path file : List.of(difference.writeKeys(), difference.deleteKeys())) {
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw DynamoException.usage("cannot resume: the keys the copy compared are gone (" + file
                        + " is missing); run the copy again without --resume, which compares both sides again");
            }
        }
    }

    private static DynamoException workFailure(Path directory, IOException e) {
        return DynamoException.failure("cannot write the copy's key files in " + directory + " (" + e
                + "); free some space there, or name another checkpoint file with --checkpoint FILE; the target is unchanged", e);
    }

    /** Deletes a work directory and what is in it; what cannot be deleted is left (it is private). */
    static void removeWorkDirectory(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", file, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot delete {}: {}", directory, e.toString());
        }
    }
}
