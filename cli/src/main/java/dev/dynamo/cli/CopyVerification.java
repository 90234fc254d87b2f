package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.CopyStats;
import dev.dynamo.verify.VerifyPlan;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import dev.dynamo.env.Environment;
import dev.dynamo.output.CopyReportPrinter;
import dev.dynamo.output.VerifyReportPrinter;
import java.io.PrintWriter;

/**
 * {@code copy --verify}: after a copy that wrote every item, compare the target with the source
 * (the same tables and selection, as {@code dynamo verify} does) and report on stderr next to the
 * copy's summary, or, with {@code --summary json}, as the {@code verify} member of the copy's JSON
 * summary. The copy exits 1 when they differ. When the verification itself fails or is interrupted,
 * the copy's JSON summary is printed without it.
 */
final class CopyVerification {
    private CopyVerification() {
    }

    /**
     * Verifies the copy and reports; the copy's JSON summary, held back until now, is printed here.
     *
     * @return the exit code: 0 when identical, 130 when interrupted
     * @throws DynamoException (failure) when they differ or the verification fails
     */
    static int run(CopyCommand copy, VerifyPlan plan, Environment source, Environment target, CopyStats stats) {
        PrintWriter out = copy.spec.commandLine().getOut();
        PrintWriter err = copy.spec.commandLine().getErr();
        boolean quiet = copy.verbosity.quiet;
        boolean json = copy.summary == CopyCommand.SummaryFormat.json;
        if (!quiet) {
            err.println("verifying " + stats.target() + " against " + stats.source());
            err.flush();
        }
        boolean progress = copy.bulk.showsProgress(copy.verbosity, copy.root.context());
        VerifyResult result;
        try {
            result = VerifyCommand.run(source, target, plan, progress, err);
        } catch (DynamoException e) {
            // The copy itself is done: say so, and keep the promise of a JSON summary.
            printJson(out, json, CopyReportPrinter.summaryJson(stats));
            // Not a usage error (exit 2 says nothing was written): the copy wrote.
            ExitCode code = e.exitCode() == ExitCode.USAGE ? ExitCode.FAILURE : e.exitCode();
            throw new DynamoException(code, "the copy is done, but its verification failed: " + e.getMessage(), e);
        }
        if (result == null) {
            printJson(out, json, CopyReportPrinter.summaryJson(stats));
            return ExitCode.INTERRUPTED.code();
        }
        printJson(out, json, VerifyReportPrinter.withVerification(CopyReportPrinter.summaryJson(stats), result));
        if (!quiet) {
            VerifyReport.lines(result).forEach(err::println);
            err.flush();
        }
        if (!result.identical()) {
            throw DynamoException.failure("the copy was verified and differs from the source: " + VerifyReport.counts(result)
                    + (quiet ? "; run " + copy.root.context().programWord() + " verify for the keys" : "; the keys are listed above"), null);
        }
        return ExitCode.OK.code();
    }

    private static void printJson(PrintWriter out, boolean json, String summary) {
        if (json) {
            out.println(summary);
            out.flush();
        }
    }
}
