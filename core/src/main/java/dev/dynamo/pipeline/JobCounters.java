package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * The live counts of a copy. Workers add to them without locking; anyone may read a
 * {@link #snapshot} at any time (a progress line), which is consistent per counter though not
 * across counters. Thread-safe.
 */
@API(status = INTERNAL, since = "0.1")
public final class JobCounters {
    public final LongAdder scanned = new LongAdder();
    public final LongAdder written = new LongAdder();
    public final LongAdder deleted = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();
    public final LongAdder retried = new LongAdder();
    public final LongAdder throttled = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder backedUp = new LongAdder();
    /** Keys whose items are equal on both sides, so not written. */
    public final LongAdder unchanged = new LongAdder();
    public final DoubleAdder readUnits = new DoubleAdder();
    public final DoubleAdder writeUnits = new DoubleAdder();
    private final boolean writeUnitsMeasured;
    private volatile long startNanos = System.nanoTime();
    private volatile JobPhase phase = JobPhase.PREPARE;
    private volatile long phaseExpectedItems;
    private volatile long phaseStartNanos = startNanos;
    private volatile long phaseStartCount;
    /** What the step has done so far, for a step whose progress is counted elsewhere (comparing); null for the others. */
    private volatile LongSupplier phaseProgress;

    /**
     * Where a copy stands.
     *
     * @param phase         the step running now
     * @param expectedItems how many items the step should handle (DynamoDB's item count estimate), 0 if unknown
     * @param phaseDone     items the step has handled so far (items written while copying, deleted while emptying, ...)
     * @param phaseNanos    time since the step began
     * @param scanned       source items read
     * @param written       items written to the target
     * @param unchanged     keys whose items were equal on both sides, so not written (a copy by difference)
     * @param deleted       target items deleted
     * @param bytesWritten  bytes written (DynamoDB's item size)
     * @param backedUp      target items saved to a backup file
     * @param readUnits     read capacity consumed, as DynamoDB reported it
     * @param writeUnits    write capacity consumed: as DynamoDB reported it when {@code writeUnitsMeasured},
     *                      otherwise estimated by DynamoDB's rules
     * @param retried       requests retried (throttling, 5xx, network, unprocessed items)
     * @param throttled     requests throttled (throttling errors, and batches with unprocessed items)
     * @param failed        items that could not be written, now in the dead-letter file
     * @param elapsedNanos  time since the copy began
     * @param writeUnitsMeasured true when DynamoDB was asked for the write units (a copy with {@code --max-wcu} does)
     */
    @API(status = STABLE, since = "0.1")
    @RecordBuilder
    public record Snapshot(JobPhase phase, long expectedItems, long phaseDone, long phaseNanos, long scanned, long written,
            long unchanged, long deleted, long bytesWritten, long backedUp, double readUnits, double writeUnits, long retried, long throttled,
            long failed, long elapsedNanos, boolean writeUnitsMeasured) {

        public static JobCountersSnapshotBuilder builder() {
            return JobCountersSnapshotBuilder.builder();
        }
    }

    /** @param writeUnitsMeasured whether write units will be DynamoDB's own figures, or estimates */
    public JobCounters(boolean writeUnitsMeasured) {
        this.writeUnitsMeasured = writeUnitsMeasured;
    }

    public Snapshot snapshot() {
        long now = System.nanoTime();
        JobPhase current = phase;
        return Snapshot.builder().phase(current).expectedItems(phaseExpectedItems)
                .phaseDone(Math.max(0, phaseCount(current) - phaseStartCount)).phaseNanos(now - phaseStartNanos)
                .scanned(scanned.sum()).written(written.sum()).unchanged(unchanged.sum()).deleted(deleted.sum()).bytesWritten(bytesWritten.sum())
                .backedUp(backedUp.sum()).readUnits(readUnits.sum()).writeUnits(writeUnits.sum())
                .retried(retried.sum()).throttled(throttled.sum()).failed(failed.sum())
                .elapsedNanos(now - startNanos).writeUnitsMeasured(writeUnitsMeasured).build();
    }

    /** The copy itself begins: elapsed time counts from here (not from the checks before it). */
    public void markStart() {
        startNanos = System.nanoTime();
        phaseStartNanos = startNanos;
    }

    /** Starts a step; the progress of a step is counted from here. */
    public void startPhase(JobPhase next, long expectedItems) {
        startPhase(next, expectedItems, null);
    }

    /** Starts a step whose progress {@code progress} counts (from 0). */
    public void startPhase(JobPhase next, long expectedItems, LongSupplier progress) {
        phaseProgress = progress;
        phaseStartCount = phaseCount(next);
        phaseExpectedItems = Math.max(0, expectedItems);
        phaseStartNanos = System.nanoTime();
        phase = next;
    }

    private long phaseCount(JobPhase which) {
        return switch (which) {
            case BACKUP -> backedUp.sum();
            case COMPARE -> phaseProgress == null ? 0 : phaseProgress.getAsLong();
            case DELETE -> deleted.sum() + failed.sum();
            case COPY -> written.sum() + failed.sum();
            default -> 0;
        };
    }
}
