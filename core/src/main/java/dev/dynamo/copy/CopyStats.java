package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import dev.dynamo.pipeline.JobCounters;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.apiguardian.api.API;

/**
 * What a finished copy did; the command line prints it as the summary line or as JSON.
 *
 * @param source         the source, as {@code table 'Orders' in 'prod' (eu-west-1)}
 * @param target         the target, the same way
 * @param mode           replace or merge
 * @param selection      true when only query-selected items were copied
 * @param tableCreated   the target table was created by this copy
 * @param backup         the backup made of the target, or null
 * @param compared       both sides were compared first and only what differs was acted on (a copy by difference)
 * @param unchanged      keys whose items were equal on both sides, so not written (a copy by difference)
 * @param scanned        source items read (to write them; a comparison's reads are not counted here)
 * @param written        items written to the target
 * @param deleted        target items deleted
 * @param retried        requests retried (throttling, 5xx, network, unprocessed items)
 * @param throttled      requests throttled (throttling errors, and batches with unprocessed items)
 * @param failed         items that could not be written and are in the dead-letter file
 * @param bytesWritten   bytes of the items written (DynamoDB's item size)
 * @param readUnits      read capacity consumed, as DynamoDB reported it
 * @param writeUnits     write capacity consumed: as DynamoDB reported it when {@code writeUnitsMeasured}, otherwise
 *                       estimated from the items' sizes and the target's indexes
 * @param writeUnitsMeasured true when DynamoDB was asked for the write units (a copy with {@code --max-wcu} does)
 * @param elapsed        how long the copy took, from the first call to the last
 * @param deadLetterFile the dead-letter file, or null when every item was written
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
public record CopyStats(
        String source,
        String target,
        CopyMode mode,
        boolean selection,
        boolean tableCreated,
        BackupResult backup,
        boolean compared,
        long unchanged,
        long scanned,
        long written,
        long deleted,
        long retried,
        long throttled,
        long failed,
        long bytesWritten,
        double readUnits,
        double writeUnits,
        boolean writeUnitsMeasured,
        Duration elapsed,
        Path deadLetterFile) {

    /** Items written per second of the whole copy. */
    public double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : written / seconds;
    }

    /** True when a copy by difference found the target equal to the source, and left it untouched. */
    public boolean alreadyEqual() {
        return compared && written == 0 && deleted == 0 && failed == 0;
    }

    /** True when every item was written (nothing is in a dead-letter file). */
    boolean complete() {
        return failed == 0;
    }

    /** What a finished run did, from its final counters. */
    static CopyStats of(String source, String target, CopyRun run, boolean tableCreated, JobCounters.Snapshot done,
            Path deadLetterFile) {
        return builder().source(source).target(target).mode(run.plan.mode()).selection(run.plan.selection() != null)
                .tableCreated(tableCreated).backup(run.backup).compared(run.difference != null).unchanged(done.unchanged())
                .scanned(done.scanned()).written(done.written()).deleted(done.deleted()).retried(done.retried())
                .throttled(done.throttled()).failed(done.failed()).bytesWritten(done.bytesWritten())
                .readUnits(done.readUnits()).writeUnits(done.writeUnits()).writeUnitsMeasured(done.writeUnitsMeasured())
                .elapsed(Duration.ofNanos(done.elapsedNanos())).deadLetterFile(done.failed() > 0 ? deadLetterFile : null).build();
    }

    public static CopyStatsBuilder builder() {
        return CopyStatsBuilder.builder();
    }
}
