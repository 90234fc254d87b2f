package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The summary line of a replace by difference on Spark, and of one that found the target already equal (golden strings). */
class SparkCopySummaryTest {
    private static SparkCopyStatsBuilder stats() {
        return SparkCopyStats.builder().source("table 'Orders' in 'prod' (us-east-1)").target("table 'Orders' in 'dev' (us-east-1)")
                .segments(16).compared(true).scanned(20_000).unchanged(19_600).written(300).deleted(100).readUnits(5_300)
                .writeUnits(400).bytesWritten(419_430).elapsed(Duration.ofMillis(9_300)).deadLetterDirectory("/tmp/dead");
    }

    @Test
    void byDifference_countsUnchangedWrittenAndDeleted() {
        assertThat(SparkCopySummary.text(stats().build())).isEqualTo("copied table 'Orders' in 'prod' (us-east-1) to table 'Orders' "
                + "in 'dev' (us-east-1) on Spark by difference: 16 segments, scanned 20,000, unchanged 19,600, written 300, deleted 100, "
                + "retried 0, throttled 0, failed 0, 9.3 s (0.4 MiB, 5,300 RCU, ~400 WCU)");
        assertThat(SparkCopySummary.json(stats().build())).contains("\"unchanged\":19600,\"alreadyEqual\":false,\"deleted\":100");
    }

    @Test
    void alreadyEqual_saysNothingWasWrittenOrDeleted() {
        assertThat(SparkCopySummary.text(stats().written(0).deleted(0).unchanged(20_000).alreadyEqual(true).build()))
                .isEqualTo("copied table 'Orders' in 'prod' (us-east-1) to table 'Orders' in 'dev' (us-east-1) on Spark: already equal, "
                        + "20,000 items unchanged; nothing written or deleted, 9.3 s (5,300 RCU)");
    }
}
