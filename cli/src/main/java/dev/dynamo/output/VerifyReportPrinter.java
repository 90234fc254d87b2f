package dev.dynamo.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The verification inside {@code copy --verify}'s JSON summary. The report itself (text lines and JSON) is core's
 * {@link VerifyReport}, shared with {@code dynamo-spark verify}.
 */
public final class VerifyReportPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerifyReportPrinter() {
    }

    /** A copy's JSON summary ({@link CopyReportPrinter#summaryJson}) with the verification as its {@code verify} member. */
    public static String withVerification(String copySummaryJson, VerifyResult result) {
        try {
            ObjectNode summary = (ObjectNode) JSON.readTree(copySummaryJson);
            summary.set("verify", JSON.readTree(VerifyReport.json(result)));
            return JSON.writeValueAsString(summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }
}
