package dev.dynamo.copy;

import static org.apiguardian.api.API.Status.STABLE;

import io.soabase.recordbuilder.core.RecordBuilder;
import org.apiguardian.api.API;

/**
 * What a copy would read, back up, delete and write, for a dry run. For a whole-table copy the
 * numbers come from DynamoDB's item count and size (updated about every six hours) and are
 * estimates; for a query-selected copy the keys are read and the counts are exact.
 *
 * @param preview       what the copy would do
 * @param exact         the counts are exact (selection) rather than estimates (whole table)
 * @param readItems     source items that would be read
 * @param readBytes     their size
 * @param readUnits     read capacity the source reads would consume
 * @param backupItems   target items that would be saved to a backup file (0 for none or an AWS backup)
 * @param deleteItems   target items that would be deleted
 * @param deleteUnits   write capacity the deletes would consume (table only; each index adds about one per item)
 * @param writeItems    items that would be written
 * @param writeUnits    write capacity the writes would consume (table only; each index adds about one per item)
 * @param targetIndexes secondary indexes of the target, whose writes come on top
 * @param dryRunUnits   read capacity the dry run itself consumed (reading keys of a selection, or both sides to compare them)
 * @param compared      both sides were read and compared: the write and delete counts are exactly what differs
 * @param unchanged     items equal on both sides, which the copy would not write (when compared)
 */
@API(status = STABLE, since = "0.1")
@RecordBuilder
public record CopyEstimate(
        CopyPreview preview,
        boolean exact,
        long readItems,
        long readBytes,
        double readUnits,
        long backupItems,
        long deleteItems,
        double deleteUnits,
        long writeItems,
        double writeUnits,
        int targetIndexes,
        double dryRunUnits,
        boolean compared,
        long unchanged) {
    static CopyEstimateBuilder builder() {
        return CopyEstimateBuilder.builder();
    }
}
