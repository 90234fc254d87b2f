package dev.dynamo.copy;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.items.PrivateFiles;
import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.ItemBatches;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.Page;
import dev.dynamo.pipeline.PagePipeline;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.SelectionQuery;
import dev.dynamo.pipeline.TableReads;
import dev.dynamo.pipeline.WriteUnits;
import dev.dynamo.table.KeySchema;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
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
            difference = DiffComparison.compare(run, deletes, rewriteAll);
            run.checkpoints.compared(difference);
        } else {
            difference = resumed.difference(); // its key files were checked when the job was prepared
            run.backup = resumed.backup();
        }
        run.difference = difference;
        run.counters.unchanged.add(difference.unchanged());
        if (difference.none() && !rewriteAll) {
            run.listener.notice(String.format("%s already equals %s (%s unchanged): nothing written, deleted or backed up",
                    run.target.describe(), run.source.describe(), Counts.items(difference.unchanged())));
            removeWorkDirectory(difference.directory());
            return;
        }
        run.checkStop();
        if ((stage == CopyCheckpoint.Stage.START || stage == CopyCheckpoint.Stage.COMPARED) && run.preview.targetHasItems()
                && run.backUpWithAwsOrNeedFile()) {
            run.backUpTargetToFile();
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
            LOG.info("{} items that differed were deleted from the source before they could be read again: {}", vanished.sum(),
                    deletes ? "deleted from the target too" : "not written");
        }
        removeWorkDirectory(difference.directory());
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
        TableReads reads = new TableReads(run.source, run.retrier, run.counters);
        double unitsPerItem = Estimates.itemUnits(run.source.schema(), run.plan.consistent());
        List<PagePipeline.PageProducer> producers = chunks(difference.writeKeys(), keys, difference.keysPerChunk(), acks,
                run.source.keys(), (chunk, chunkKeys) -> {
                    List<Map<String, AttributeValue>> items = new ArrayList<>(reads.batchGet(chunkKeys, run.plan.consistent(),
                            unitsPerItem));
                    List<Map<String, AttributeValue>> gone = absent(chunkKeys, items);
                    if (!gone.isEmpty() && !run.plan.consistent()) {
                        // An eventually consistent read may miss an item written moments ago: ask those keys once more,
                        // strongly consistent, before believing the items are gone.
                        items.addAll(reads.batchGet(gone, true, unitsPerItem * 2));
                        gone = absent(chunkKeys, items);
                    }
                    run.counters.scanned.add(items.size());
                    if (!gone.isEmpty()) {
                        deleteVanished(chunk, gone);
                    }
                    return items;
                });
        run.pipeline("write", producers, Math.min(producers.size(), run.plan.threads()), run.plan.threads(), run.putWriters(acks));
        run.checkpoints.copied();
        if (!acks.allFinished()) {
            throw new IllegalStateException("write accounting mismatch: not every chunk of keys to write was acknowledged");
        }
    }

    /** The keys of {@code keys} that {@code items} lack. */
    private List<Map<String, AttributeValue>> absent(List<Map<String, AttributeValue>> keys, List<Map<String, AttributeValue>> items) {
        KeySchema schema = run.source.keys();
        Set<String> found = new HashSet<>();
        for (Map<String, AttributeValue> item : items) {
            found.add(ItemBatches.keyText(schema, item));
        }
        List<Map<String, AttributeValue>> absent = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            if (!found.contains(ItemBatches.keyText(schema, key))) {
                absent.add(key);
            }
        }
        return absent;
    }

    /**
     * Items that differed when both sides were compared and are gone from the source now (deleted since): in replace mode
     * the target must not keep them either, so they are deleted from it here, before the chunk they came in is
     * acknowledged (a resume never skips them). A merge deletes nothing.
     */
    private void deleteVanished(int chunk, List<Map<String, AttributeValue>> gone) throws InterruptedException {
        vanished.add(gone.size());
        if (!deletes) {
            return;
        }
        PagePipeline.PageConsumer deleter = run.deleteWriters(null).get();
        deleter.consume(new Page(chunk, 0, gone));
        deleter.finish();
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
            writers = KeyFilter.filtered(run.putWriters(acks), acks, filter, keySchema);
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
            writers = KeyFilter.filtered(run.putWriters(acks), acks, filter, keySchema);
            SelectionQuery source = SelectionCopy.sourceQuery(run, run.selection(), null, acks);
            run.pipeline("write", List.of(source), 1, run.plan.threads(), writers);
            run.checkpoints.copied();
        }
    }

    private KeyFilter filter(CopyCheckpoint.Difference difference) {
        KeyFilter filter = new KeyFilter(difference.toWrite());
        try {
            KeyFile.forEach(difference.writeKeys(), difference.toWrite(), filter::add);
        } catch (IOException e) {
            throw keyFileDamaged(e);
        }
        return filter;
    }

    /** Deletes the target's extra keys, chunk by chunk. */
    private void delete(CopyCheckpoint.Difference difference, SegmentAcks resumed) {
        long keys = difference.toDelete();
        SegmentAcks acks = resumed != null ? resumed : new SegmentAcks(difference.chunks(keys));
        run.checkpoints.working(CopyCheckpoint.Stage.DELETE, acks, run.backup);
        run.counters.startPhase(JobPhase.DELETE, keys);
        List<PagePipeline.PageProducer> producers = chunks(difference.deleteKeys(), keys, difference.keysPerChunk(), acks,
                run.target.keys(), (chunk, chunkKeys) -> chunkKeys);
        run.pipeline("delete", producers, Math.min(producers.size(), run.plan.threads()), run.plan.threads(),
                run.deleteWriters(acks));
        run.checkpoints.copied();
        if (!acks.allFinished()) {
            throw new IllegalStateException("delete accounting mismatch: not every chunk of keys to delete was acknowledged");
        }
    }

    /** What a chunk's producer puts in its page: the chunk's keys, or the items read by them. */
    @FunctionalInterface
    private interface ChunkPage {
        List<Map<String, AttributeValue>> of(int chunk, List<Map<String, AttributeValue>> keys) throws InterruptedException;
    }

    /**
     * One producer per unfinished chunk of {@code file}'s keys: each reads its keys, makes its one page of them, registers it
     * with {@code acks} (its last) and puts it in the pipeline, unless it is empty.
     */
    private List<PagePipeline.PageProducer> chunks(Path file, long keys, int keysPerChunk, SegmentAcks acks, KeySchema keySchema,
            ChunkPage page) {
        long[] offsets = offsets(file, keys, keysPerChunk);
        List<PagePipeline.PageProducer> producers = new ArrayList<>();
        for (int chunk = 0; chunk < acks.segmentCount(); chunk++) {
            if (acks.checkpoint(chunk).finished()) {
                continue;
            }
            int at = chunk;
            long count = Math.min(keysPerChunk, keys - (long) chunk * keysPerChunk);
            producers.add(sink -> {
                if (run.stop.requested()) {
                    return;
                }
                sink.reserve();
                List<Map<String, AttributeValue>> items = page.of(at, readChunk(file, offsets[at], count, keySchema));
                long sequence = acks.pageRead(at, items.size(), null);
                if (!items.isEmpty()) {
                    sink.put(new Page(at, sequence, items));
                }
            });
        }
        return producers;
    }

    private static List<Map<String, AttributeValue>> readChunk(Path file, long offset, long count, KeySchema keys) {
        try {
            return KeyFile.readChunk(file, offset, count, keys);
        } catch (IOException e) {
            throw keyFileDamaged(e);
        }
    }

    private static long[] offsets(Path file, long keys, int keysPerChunk) {
        try {
            return KeyFile.chunkOffsets(file, keys, keysPerChunk);
        } catch (IOException e) {
            throw keyFileDamaged(e);
        }
    }

    /** The directory of the key files of the copy whose checkpoint is {@code checkpoint}: {@code NAME.json} → {@code NAME.keys}. */
    static Path keysDirectory(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        return checkpoint.toAbsolutePath().resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name)
                + ".keys");
    }

    /**
     * Before a resume acts on a saved comparison: both key files are there, hold the counted keys, and are byte for byte what
     * the comparison wrote (SHA-256), so that no key of a damaged or replaced file is ever written or deleted.
     */
    static void checkKeyFiles(CopyCheckpoint.Difference difference) {
        for (Path file : List.of(difference.writeKeys(), difference.deleteKeys())) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw DynamoException.usage("cannot resume: the keys the copy compared are gone (" + file
                        + " is missing); run the copy again without --resume, which compares both sides again");
            }
        }
        try {
            KeyFile.check(difference.writeKeys(), difference.toWrite(), difference.writeKeysSha256());
            KeyFile.check(difference.deleteKeys(), difference.toDelete(), difference.deleteKeysSha256());
        } catch (IOException e) {
            throw keyFileDamaged(e);
        }
    }

    /** A key file that cannot be read as the comparison wrote it: nothing is done with it. */
    private static DynamoException keyFileDamaged(IOException e) {
        return DynamoException.usage("cannot use the comparison's key files: " + e.getMessage() + "; run the copy again "
                + "without --resume, which compares both sides again");
    }

    static DynamoException workFailure(Path directory, IOException e) {
        return DynamoException.failure("cannot write the copy's key files in " + directory + " (" + e
                + "); free some space there, or name another checkpoint file with --checkpoint FILE; the target is unchanged", e);
    }

    /** Deletes a work directory and what is in it; what cannot be deleted is left (it is private). */
    static void removeWorkDirectory(Path directory) {
        PrivateFiles.deleteTree(directory);
    }
}
