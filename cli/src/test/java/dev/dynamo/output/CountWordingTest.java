package dev.dynamo.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.items.ExportFormat;
import dev.dynamo.transfer.ExportStats;
import dev.dynamo.transfer.ImportStats;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every printed count reads right: singular for one, thousands separated (golden strings of the fixed lines). */
class CountWordingTest {
    @Test
    void queryCount_hasTheThousandsSeparator() {
        StringWriter out = new StringWriter();
        QueryPrinter printer = new QueryPrinter(new PrintWriter(out), OutputFormat.SUMMARY, List.of("pk"));
        printer.count(new dev.dynamo.query.QueryStats(50_000, 50_000, 9, 6_250));
        printer.count(new dev.dynamo.query.QueryStats(1, 1, 1, 0.5));
        assertThat(out.toString()).isEqualTo("50,000 items queried.\n1 item queried.\n");
    }

    @Test
    void verifyReport_saysOneItemRead() {
        VerifyResult one = VerifyResult.builder().source("table 'A' in 'prod' (eu-west-1)").target("table 'B' in 'dev' (us-east-1)")
                .keyNames(List.of("pk")).sourceItems(1).targetItems(1).matching(1).buckets(1).largestBucketBytes(10)
                .readUnits(1).elapsed(Duration.ofMillis(100)).build();
        assertThat(VerifyReport.lines(one)).startsWith(
                "Source:    table 'A' in 'prod' (eu-west-1): 1 item read",
                "Target:    table 'B' in 'dev' (us-east-1): 1 item read",
                "Identical: 1 item");
        VerifyResult selected = VerifyResult.builder().source("table 'A' in 'prod' (eu-west-1)").target("table 'B' in 'dev' (us-east-1)")
                .selection(true).keyNames(List.of("pk")).sourceItems(1).targetItems(12_000).matching(1).extra(11_999).buckets(1)
                .largestBucketBytes(10).readUnits(1).elapsed(Duration.ofMillis(100)).build();
        assertThat(VerifyReport.lines(selected)).startsWith(
                "Source:    table 'A' in 'prod' (eu-west-1): 1 selected item read",
                "Target:    table 'B' in 'dev' (us-east-1): 12,000 selected items read");
    }

    @Test
    void exportAndImportLines_countItemsAndDataFiles() {
        assertThat(TransferReportPrinter.exportLine(new ExportStats("table 'T' in 'dev' (us-east-1)", "/x/AWSDynamoDB/ID", "ID",
                ExportFormat.DYNAMODB_JSON, 1, 1, 300, 0.5, 1_000, false)))
                .isEqualTo("Exported 1 item of table 'T' in 'dev' (us-east-1) to /x/AWSDynamoDB/ID in 1 data file (300 B) in 1.0 s.");
        assertThat(TransferReportPrinter.importLine(new ImportStats("table 'T' in 'dev' (us-east-1)", List.of("/x"), 1_200, 1_234_567,
                1, 0, null, null, false, 10, 2_000, false)))
                .isEqualTo("Imported 1,234,567 items into table 'T' in 'dev' (us-east-1), deleted 1 from 1,200 data files in 2.0 s.");
    }
}
