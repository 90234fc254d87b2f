package dev.dynamo.copy;

import dev.dynamo.items.RawItems;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.pipeline.WriteUnits;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Merges a whole table into the target, writing every source item: backs up a target that has items
 * if the plan asks for it; then a parallel scan of the source feeds the writers. Every item read is
 * written or dead-lettered; each segment's acknowledged pages are tracked and saved in the
 * checkpoint so a later resume knows where to start. (A replace, or a merge that skips unchanged
 * items, is a {@link DiffCopy}.)
 *
 * <p>Resumed from {@link CopyCheckpoint.Stage#COPY}, it does not back up again, and scans each
 * unfinished segment from its resume key.
 */
final class TableCopy {
    private final CopyRun run;
    private SegmentAcks acks;

    TableCopy(CopyRun run) {
        this.run = run;
    }

    /** The copy phase's acknowledgements, once it has begun. */
    SegmentAcks acks() {
        return acks;
    }

    void run() throws InterruptedException {
        CopyCheckpoint resumed = run.resumeFrom;
        CopyCheckpoint.Stage stage = resumed == null ? CopyCheckpoint.Stage.START : resumed.stage();
        if (stage == CopyCheckpoint.Stage.START) {
            if (run.preview.targetHasItems() && run.backUpWithAwsOrNeedFile()) {
                run.backUpTargetToFile();
            }
        } else {
            run.backup = resumed.backup();
        }
        run.checkStop();
        copy(stage == CopyCheckpoint.Stage.COPY ? SegmentAcks.resume(resumed.segments()) : new SegmentAcks(run.preview.segments()));
    }

    private void copy(SegmentAcks copyAcks) {
        JobCounters counters = run.counters;
        acks = copyAcks;
        counters.startPhase(JobPhase.COPY, Math.max(0, run.source.schema().itemCount() - acks.completedItems()));
        long failedBefore = counters.failed.sum();
        long writtenBefore = counters.written.sum();
        long scannedBefore = counters.scanned.sum();
        ScanRequest all = ScanRequest.builder().tableName(run.source.name()).limit(run.plan.pageSize())
                .consistentRead(run.plan.consistent() ? Boolean.TRUE : null).build();
        run.checkpoints.copying(acks, run.backup);
        // The items travel as the JSON DynamoDB sent them: parsed once for their sizes and keys, sent back unchanged.
        RawItems.Shape raw = new RawItems.Shape(run.target.keys().names(), new WriteUnits(run.target.schema()).sizedNames());
        run.scan("copy", run.source, all, acks, counters.scanned, run.plan.threads(), run.putWriters(acks), raw);
        run.checkpoints.copied();
        // Every item read is written or dead-lettered, never dropped. A resume will rely on it: check it.
        long read = counters.scanned.sum() - scannedBefore;
        long handled = counters.written.sum() - writtenBefore + counters.failed.sum() - failedBefore;
        if (!acks.allFinished() || handled != read) {
            throw new IllegalStateException("copy accounting mismatch: " + read + " items read, " + handled
                    + " written or dead-lettered, every segment acknowledged: " + acks.allFinished());
        }
    }
}
