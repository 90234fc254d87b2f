package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.verify.TableVerifier;
import dev.dynamo.verify.VerifyResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verification in a copy's JSON summary, and the progress line, as golden strings (the report itself: core's VerifyReportTest). */
class VerifyReportPrinterTest {
    private static final String SOURCE = "table 'Orders' in 'prod' (eu-west-1)";
    private static final String TARGET = "table 'Orders' in 'dev' (us-east-1)";

    private static VerifyResult identical() {
        return VerifyResult.builder().source(SOURCE).target(TARGET).keyNames(List.of("pk", "sk"))
                .sourceItems(1200).targetItems(1200).matching(1200).buckets(1).largestBucketBytes(4000).readUnits(150.5)
                .elapsed(Duration.ofMillis(2340)).build();
    }

    @Test
    void copySummaryJson_carriesTheVerification() {
        assertThat(VerifyReportPrinter.withVerification("{\"written\":1200,\"failed\":0}", identical()))
                .startsWith("{\"written\":1200,\"failed\":0,\"verify\":{\"identical\":true,\"source\":")
                .endsWith("\"elapsedSeconds\":2.3}}");
    }

    @Test
    void progressLine() {
        assertThat(VerifyProgressReporter.line(TableVerifier.Progress.builder().phase(TableVerifier.Phase.READ)
                .sourceItems(12_345).targetItems(12_000).expectedSourceItems(20_000).expectedTargetItems(20_000).buckets(16)
                .readUnits(121.4).elapsedNanos(8_000_000_000L).build()))
                .isEqualTo("reading 12,345/20,000 + 12,000/20,000 items 3,043/s RCU 121");
        assertThat(VerifyProgressReporter.line(TableVerifier.Progress.builder().phase(TableVerifier.Phase.READ)
                .sourceItems(1_200).targetItems(1_100).buckets(1).readUnits(40).retried(2).elapsedNanos(2_000_000_000L).build()))
                .isEqualTo("reading 1,200 + 1,100 items 1,150/s RCU 40 retries 2");
        assertThat(VerifyProgressReporter.line(TableVerifier.Progress.builder().phase(TableVerifier.Phase.COMPARE)
                .sourceItems(20_000).targetItems(20_000).expectedSourceItems(20_000).expectedTargetItems(20_000)
                .bucketsCompared(3).buckets(16).readUnits(2_410).elapsedNanos(9_000_000_000L).build()))
                .isEqualTo("comparing 3/16 buckets RCU 2,410");
    }
}
