package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.copy.BackupResult;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.copy.CopyMode;
import dev.dynamo.pipeline.JobPhase;
import dev.dynamo.copy.CopyStats;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CopyReportPrinterTest {
    private static final String SOURCE = "table 'Orders' in 'prod' (eu-west-1)";
    private static final String TARGET = "table 'Orders' in 'http://localhost:8000' (us-east-1)";

    private static CopyStats stats(long failed, BackupResult backup, Path deadLetters) {
        return CopyStats.builder().source(SOURCE).target(TARGET).mode(CopyMode.REPLACE).backup(backup)
                .scanned(20_000).written(20_000 - failed).deleted(512).retried(17).throttled(9).failed(failed)
                .bytesWritten(22_650_000).readUnits(2_809.5).writeUnits(40_301).writeUnitsMeasured(true)
                .elapsed(Duration.ofMillis(12_345)).deadLetterFile(deadLetters).build();
    }

    @Test
    void summaryLine() {
        assertThat(CopyReportPrinter.summaryLine(stats(0, null, null))).isEqualTo("copied " + SOURCE + " to " + TARGET
                + ": scanned 20,000, written 20,000, deleted 512, retried 17, throttled 9, failed 0, 12.3 s, 1,620 items/s "
                + "(21.6 MiB, 2,810 RCU, 40,301 WCU)");
        assertThat(CopyReportPrinter.summaryLine(stats(3, null, Path.of("/tmp/x.failed.jsonl"))))
                .startsWith("copied with failures " + SOURCE).contains("written 19,997, deleted 512, retried 17, throttled 9, failed 3,");
    }

    @Test
    void summaryLine_ofACopyByDifference_countsTheUnchanged_andSaysWhenAlreadyEqual() {
        CopyStats compared = CopyStats.builder().source(SOURCE).target(TARGET).mode(CopyMode.REPLACE).compared(true)
                .unchanged(19_700).scanned(300).written(300).deleted(100).readUnits(2_600).writeUnits(400)
                .elapsed(Duration.ofMillis(3_100)).build();
        assertThat(CopyReportPrinter.summaryLine(compared)).startsWith("copied " + SOURCE + " to " + TARGET
                + ": scanned 300, unchanged 19,700, written 300, deleted 100,");
        CopyStats equal = CopyStats.builder().source(SOURCE).target(TARGET).mode(CopyMode.REPLACE).compared(true)
                .unchanged(20_000).readUnits(2_500).elapsed(Duration.ofMillis(3_100)).build();
        assertThat(equal.alreadyEqual()).isTrue();
        assertThat(CopyReportPrinter.summaryLine(equal)).isEqualTo("copied " + SOURCE + " to " + TARGET + ": already equal, "
                + "20,000 items unchanged; nothing written, deleted or backed up, 3.1 s (2,500 RCU)");
        assertThat(CopyReportPrinter.summaryJson(equal)).contains("\"compared\":true,\"unchanged\":20000,\"alreadyEqual\":true,");
    }

    @Test
    void summaryJson() {
        String json = CopyReportPrinter.summaryJson(stats(0, new BackupResult(BackupResult.Kind.FILE, null, null,
                Path.of("/backups/Orders-20250101-120000.jsonl.gz"), 512), null));
        assertThat(json).isEqualTo("{\"source\":\"table 'Orders' in 'prod' (eu-west-1)\",\"target\":\"table 'Orders' in "
                + "'http://localhost:8000' (us-east-1)\",\"mode\":\"replace\",\"selection\":false,\"tableCreated\":false,"
                + "\"compared\":false,\"unchanged\":0,\"alreadyEqual\":false,\"scanned\":20000,\"written\":20000,\"deleted\":512,\"retried\":17,\"throttled\":9,\"failed\":0,"
                + "\"bytesWritten\":22650000,\"readUnits\":2809.5,\"writeUnits\":40301.0,\"writeUnitsMeasured\":true,\"elapsedSeconds\":12.3,"
                + "\"itemsPerSecond\":1620.1,\"backup\":{\"kind\":\"file\",\"file\":\"/backups/Orders-20250101-120000.jsonl.gz\","
                + "\"items\":512},\"deadLetterFile\":null}");
        assertThat(CopyReportPrinter.summaryJson(stats(0, new BackupResult(BackupResult.Kind.AWS, "Orders-dynamo-20250101-120000",
                "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01", null, 0), null)))
                .contains("\"backup\":{\"kind\":\"aws\",\"name\":\"Orders-dynamo-20250101-120000\","
                        + "\"arn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/Orders/backup/01\"}");
    }

    @Test
    void progressLine() {
        JobCounters.Snapshot copying = JobCounters.Snapshot.builder().phase(JobPhase.COPY).expectedItems(20_000).phaseDone(12_345)
                .phaseNanos(4_000_000_000L).scanned(12_400).written(12_300).bytesWritten(12_700_000).readUnits(120.5)
                .writeUnits(12_345).retried(3).throttled(2).failed(45).elapsedNanos(4_500_000_000L).build();
        assertThat(CopyProgressReporter.line(copying, 3_086.25))
                .isEqualTo("copying 12,345/20,000 (61%) 12.1 MiB 3,086/s RCU 121 WCU ~12,345 retries 3 failed 45 ETA 0:02");
        JobCounters.Snapshot deleting = JobCounters.Snapshot.builder().phase(JobPhase.DELETE).phaseDone(1_200)
                .phaseNanos(2_000_000_000L).deleted(1_200).readUnits(30).writeUnits(1_200).elapsedNanos(2_000_000_000L)
                .writeUnitsMeasured(true).build();
        assertThat(CopyProgressReporter.line(deleting, 600)).isEqualTo("deleting extras 1,200 600/s RCU 30 WCU 1,200");
        JobCounters.Snapshot comparing = JobCounters.Snapshot.builder().phase(JobPhase.COMPARE).expectedItems(40_000)
                .phaseDone(30_000).phaseNanos(3_000_000_000L).readUnits(1_250).elapsedNanos(3_000_000_000L).build();
        assertThat(CopyProgressReporter.line(comparing, 9_800))
                .isEqualTo("comparing 30,000/40,000 (75%) 9,800/s RCU 1,250 WCU ~0 ETA 0:01");
        JobCounters.Snapshot beyond = JobCounters.Snapshot.builder().phase(JobPhase.COPY).expectedItems(100).phaseDone(150)
                .phaseNanos(1_000_000_000L).scanned(150).written(150).bytesWritten(1024).readUnits(1).writeUnits(150)
                .elapsedNanos(1_000_000_000L).build();
        assertThat(CopyProgressReporter.line(beyond, 150)).isEqualTo("copying 150/100 (99%) 1.0 KiB 150/s RCU 1 WCU ~150");
    }

    @Test
    void bytes() {
        assertThat(CopyReportPrinter.bytes(0)).isEqualTo("0 B");
        assertThat(CopyReportPrinter.bytes(1023)).isEqualTo("1023 B");
        assertThat(CopyReportPrinter.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(CopyReportPrinter.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
    }
}
