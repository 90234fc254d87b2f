package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.items.ExportFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The export's summary line and JSON object (golden strings), and its progress line. No Spark. */
class SparkExportStatsTest {
    private static SparkExportStats stats(int skipped) {
        return SparkExportStats.builder().table("table 'Orders' in 'prod' (eu-west-1)").location("/x/AWSDynamoDB/01-ab")
                .exportId("01-ab").format(ExportFormat.ION).items(1000).files(8).bytes(1_258_291).readUnits(12.34).segments(8)
                .segmentsSkipped(skipped).orphansDeleted(1).elapsed(Duration.ofMillis(3100)).resumed(skipped > 0).build();
    }

    @Test
    void textIsTheCommandLinesSentence_withSparksSegments() {
        assertThat(stats(0).text()).isEqualTo("Exported 1,000 items of table 'Orders' in 'prod' (eu-west-1) to /x/AWSDynamoDB/01-ab "
                + "in 8 data files (1.2 MiB) in 3.1 s, on Spark: 8 segments");
        assertThat(stats(3).text()).endsWith("on Spark: 8 segments (3 finished before)");
        assertThat(SparkExportStats.size(512)).isEqualTo("512 B");
        assertThat(SparkExportStats.size(4096)).isEqualTo("4.0 KiB");
    }

    @Test
    void jsonHasTheCommandLinesFields_thenSparksOwn() throws Exception {
        assertThat(new ObjectMapper().readTree(stats(3).json()).toString()).isEqualTo("{\"table\":\"table 'Orders' in 'prod' (eu-west-1)\","
                + "\"export\":\"/x/AWSDynamoDB/01-ab\",\"exportId\":\"01-ab\",\"format\":\"ION\",\"items\":1000,\"files\":8,"
                + "\"bytes\":1258291,\"readUnits\":12.3,\"seconds\":3.1,\"resumed\":true,\"engine\":\"spark\",\"segments\":8,"
                + "\"segmentsSkipped\":3,\"orphansDeleted\":1}");
    }

    @Test
    void progressLine_countsSegmentsForItsEta() {
        assertThat(ProgressLine.exportLine(12_345, 121.4, 4, 8, 10, 4)).isEqualTo("exporting 12,345 items, 1,235/s, RCU 121, segments 4/8, ETA 0:10");
        assertThat(ProgressLine.exportLine(0, 0, 0, 8, 0, 0)).isEqualTo("exporting 0 items, 0/s, RCU 0, segments 0/8");
    }
}
