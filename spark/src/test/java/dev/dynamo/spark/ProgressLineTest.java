package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress lines of copy and import as golden strings (export's: SparkExportStatsTest). */
class ProgressLineTest {
    @Test
    void copyLine_countsSegments_andNamesRetriesAndFailures() {
        assertThat(ProgressLine.copyLine(12_345, 12 * 1_048_576 + 104_858, 121.4, 12_345, 3, 2, 12, 64, 10, 4))
                .isEqualTo("copying 12,345 items, 1,235/s, 12.1 MiB, RCU 121 WCU ~12,345, retries 3, failed 2, segments 12/64, ETA 2:10");
        assertThat(ProgressLine.copyLine(0, 0, 0, 0, 0, 0, 3, 8, 1, 0))
                .isEqualTo("copying 0 items, 0/s, 0.0 MiB, RCU 0 WCU ~0, segments 3/8");
    }

    @Test
    void importLine_countsFiles_withNoEtaOnceAllAreDone() {
        assertThat(ProgressLine.importLine(500, 0, 0, 0, 0, 64, 64, 0, 0)).isEqualTo("importing 500 items, 0/s, 0.0 MiB, WCU ~0, files 64/64");
        assertThat(ProgressLine.importLine(2_000, 1_048_576, 2_000.4, 1, 0, 1, 4, 2, 1))
                .isEqualTo("importing 2,000 items, 1,000/s, 1.0 MiB, WCU ~2,000, retries 1, files 1/4, ETA 0:06");
    }
}
