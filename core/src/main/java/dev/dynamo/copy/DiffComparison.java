package dev.dynamo.copy;

import dev.dynamo.items.PrivateFiles;
import dev.dynamo.pipeline.Estimates;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.verify.TableComparison;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of a {@link DiffCopy}: reads both sides, compares them ({@link TableComparison}) and
 * saves the keys to write and to delete in two {@link KeyFile}s of the copy's work directory, then
 * chooses how the items to write will be read (by key, or by a second scan).
 */
final class DiffComparison {
    private static final Logger LOG = LoggerFactory.getLogger(DiffComparison.class);
    /** The most bytes of (key, digest) records compared in memory at once. */
    static final long BUCKET_BYTES = 8L * 1024 * 1024;
    /** Keys per chunk at the least: one BatchGetItem. */
    static final int MIN_KEYS_PER_CHUNK = JobDefaults.MAX_BATCH_GET_KEYS;
    /** Chunks at the most, so that a checkpoint of their positions stays small. */
    static final int MAX_CHUNKS = 50_000;

    private DiffComparison() {
    }

    /** Reads both sides, compares them and saves the keys to act on. */
    static CopyCheckpoint.Difference compare(CopyRun run, boolean deletes, boolean rewriteAll) throws InterruptedException {
        Path work = workDirectory(run);
        Path spool;
        try {
            PrivateFiles.createDirectories(work);
            spool = Files.createTempDirectory(work, "compare-");
        } catch (IOException e) {
            throw DiffCopy.workFailure(work, e);
        }
        TableComparison comparison = new TableComparison(run.plan.read(), BUCKET_BYTES, run.retrier, run.counters, run.stop);
        long expected = run.selection() == null ? run.source.schema().itemCount() + run.target.schema().itemCount() : 0;
        run.counters.startPhase(JobPhase.COMPARE, expected, () -> comparison.sourceItems() + comparison.targetItems());
        long[] unchanged = {0};
        long writes;
        long deleteCount;
        KeyFile.Writer writeFile;
        KeyFile.Writer deleteFile;
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
            writeFile = toWrite;
            deleteFile = toDelete;
        } catch (IOException | UncheckedIOException e) {
            throw DiffCopy.workFailure(work, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        } finally {
            DiffCopy.removeWorkDirectory(spool);
        }
        PrivateFiles.syncDirectory(work);
        int keysPerChunk = keysPerChunk(Math.max(writes, deleteCount));
        boolean byScan = rewriteAll || secondScanIsCheaper(run, writes, comparison.sourceItems());
        // compared Orders with Orders: 300 to write, 100 to delete, 19,600 unchanged
        LOG.info("compared {} with {}: {} to write, {} to delete, {} unchanged", run.source.describe(), run.target.describe(),
                writes, deleteCount, unchanged[0]);
        return CopyCheckpointDifferenceBuilder.builder().directory(work).toWrite(writes).toDelete(deleteCount)
                .unchanged(unchanged[0]).byScan(byScan).keysPerChunk(keysPerChunk).writeKeysSha256(writeFile.sha256Hex())
                .deleteKeysSha256(deleteFile.sha256Hex()).build();
    }

    /**
     * Whether reading the items to write by a second pass over the source (a scan, or the selection's
     * query) costs fewer read units than reading them by key, and so is the way they are read: a
     * BatchGetItem reads each item rounded up to 4 KB, a scan reads the items' bytes together.
     */
    private static boolean secondScanIsCheaper(CopyRun run, long writes, long sourceItems) {
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

    /**
     * Where the comparison's key files live: beside the checkpoint ({@code NAME.json} → {@code NAME.keys/}), so that a
     * resume finds them; in the temporary directory for a copy that keeps no checkpoint.
     */
    private static Path workDirectory(CopyRun run) {
        Path checkpoint = run.plan.checkpointFile();
        if (checkpoint != null) {
            return DiffCopy.keysDirectory(checkpoint);
        }
        try {
            return Files.createTempDirectory("dynamo-copy-");
        } catch (IOException e) {
            throw DiffCopy.workFailure(Path.of(System.getProperty("java.io.tmpdir")), e);
        }
    }
}
