package dev.dynamo.spark;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What an import on Spark did.
 *
 * @param table               the table, as {@code table 'Orders' in 'dev' (us-east-1)}
 * @param sources             what was imported, one description per source
 * @param files               the import's data files
 * @param filesSkipped        data files a resumed job found recorded and did not read again
 * @param tableCreated        whether the job created the table
 * @param records             records this run read and wrote (the recorded files' not included)
 * @param written             items put, with the files recorded before a resume
 * @param deleted             keys deleted (an incremental export's), likewise
 * @param failed              items dead-lettered, likewise
 * @param retried             retried calls, this run
 * @param throttled           throttled calls, this run
 * @param writeUnits          write units consumed (measured with --max-wcu) or estimated, this run
 * @param elapsed             this run's time, from Spark's start to the last file
 * @param deadLetterDirectory where items that could not be written are, when {@link #failed} is not 0
 * @param resumed             this run continued a stopped import
 */
@RecordBuilder
record SparkImportStats(String table, List<String> sources, int files, int filesSkipped, boolean tableCreated, long records,
        long written, long deleted, long failed, long retried, long throttled, double writeUnits, boolean writeUnitsMeasured,
        Duration elapsed, Path deadLetterDirectory, boolean resumed) {

    static SparkImportStatsBuilder builder() {
        return SparkImportStatsBuilder.builder();
    }

    /** This run's records per second. */
    double recordsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? records / seconds : 0;
    }

    /** The whole import's items put, deleted and dead-lettered, by the checkpoint. */
    record Totals(long written, long deleted, long failed) {
    }
}
