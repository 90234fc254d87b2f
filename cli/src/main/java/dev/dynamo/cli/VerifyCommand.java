package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.verify.TableVerifier;
import dev.dynamo.verify.VerifyPlan;
import dev.dynamo.verify.VerifyReport;
import dev.dynamo.verify.VerifyResult;
import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.output.StatusLine;
import dev.dynamo.output.VerifyProgressReporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dynamo verify}: compare a table, or the items a query selects, in two environments. */
@Command(name = "verify",
        description = {
            "Compare a table, or the items a query selects, in two environments.",
            "",
            "Items are matched by key, in any order, and every attribute is compared",
            "exactly: numbers by value (1.50 = 1.5, as DynamoDB stores them), sets in any",
            "order, binary by its bytes, maps and lists deeply. Changes nothing.",
            "",
            "Reports the keys missing from the target (in the source only), extra in the",
            "target (in the target only), and with different items on the two sides, with",
            "the attributes that differ.",
            "",
        },
        exitCodeList = {
            "0:identical",
            "1:the two differ (see the report), or a runtime failure (an error",
            " :on stderr, no report)",
            "2:usage error (bad option, unknown table or index, different keys)",
            "130:interrupted (Ctrl-C)",
        },
        // Every line fits in 80 columns, so picocli never wraps an example in the middle.
        footer = {
            "  dynamo verify -t Orders --source prod --target http://localhost:8000",
            "  dynamo verify -t Orders --source prod --target dev --target-table Orders-copy",
            "  dynamo verify -t Orders --pk customer#42 --sk 2024- --source prod --target dev",
            "      compare one customer's 2024 orders",
            "  dynamo verify -t Orders -i byStatus --pk open --source prod --target dev",
            "  dynamo verify -src prod -tgt dev -t Orders --summary json --show 100 | jq",
            "  dynamo copy -t Orders --source prod --target dev --verify",
            "      copy, then verify the copy the same way",
            "",
            "--pk, -i, --sk..., --where select items exactly as in dynamo query (see",
            "dynamo query --help), on each side; whole items are compared even through a",
            "KEYS_ONLY or INCLUDE index (read from the table by key).",
            "",
            "Memory stays small for any table size: each item becomes its key and a",
            "128-bit digest, written to bucket files on disk by a hash of the key (about",
            "20 bytes plus the key per item, in --temp-dir, deleted at the end); then one",
            "bucket at a time (a few MB) is compared in memory.",
            "",
            "[API: DescribeTable, Scan, Query, BatchGetItem]",
        })
final class VerifyCommand extends SourceTargetCommand implements Callable<Integer> {
    /** More keys than this per kind is a typo; the keys are held in memory until the report. */
    static final int MAX_SHOW = 10_000;

    enum SummaryFormat { text, json }

    @Mixin
    BulkOptions bulk;

    // Listed after every option with an order (see OrderedOptionsHelp), as in every command: last but -h and -V.
    @Mixin
    VerbosityOptions verbosity;

    // The help lists it by its order: after --show and --temp-dir.
    @Option(names = "--summary", order = 100, paramLabel = "FORMAT", defaultValue = "text",
            description = "text: the report as lines; json: as one JSON object (for scripts). Both on stdout. "
                    + "Default: ${DEFAULT-VALUE}.")
    SummaryFormat summary;

    @Option(names = "--show", order = 80, paramLabel = "N", defaultValue = "" + VerifyPlan.SHOW_KEYS,
            description = "List the first N keys (in key order) of each kind of difference; 0 for counts only. "
                    + "Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(names = "--temp-dir", order = 81, paramLabel = "DIR",
            description = "Where the bucket files go. Default: the system's temporary directory.")
    Path tempDirectory;

    @Override
    public Integer call() {
        EnvironmentDefaults.apply(spec, root.context().resolver(), environments.sourceSpec(), EnvironmentDefaults.Key.THREADS, EnvironmentDefaults.Key.MAX_RCU);
        EnvironmentResolver resolver = root.context().resolver();
        VerifyPlan plan = toPlan();
        VerifyResult result = run(environments.source(resolver), environments.target(resolver), plan,
                bulk.showsProgress(verbosity, root.context()), spec.commandLine().getErr());
        if (result == null) {
            return ExitCode.INTERRUPTED.code();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (summary == SummaryFormat.json) {
            out.println(VerifyReport.json(result));
        } else {
            VerifyReport.lines(result).forEach(out::println);
        }
        out.flush();
        return result.identical() ? ExitCode.OK.code() : ExitCode.FAILURE.code();
    }

    /**
     * Prepares and runs a verification, with a progress line if asked; Ctrl-C interrupts it, so its
     * bucket files are deleted and the user is told before the JVM exits.
     *
     * @return the result, or null when interrupted (and said so on {@code err})
     */
    static VerifyResult run(Environment source, Environment target, VerifyPlan plan, boolean progress, PrintWriter err) {
        try (TableVerifier verifier = TableVerifier.prepare(source, target, plan);
                InterruptOnCtrlC onCtrlC = new InterruptOnCtrlC("dynamo-verify-ctrl-c")) {
            try {
                if (!progress) {
                    return verifier.run();
                }
                try (StatusLine line = VerifyProgressReporter.start(err, verifier::progress)) {
                    return verifier.run();
                }
            } catch (DynamoException e) {
                if (e.exitCode() != ExitCode.INTERRUPTED) {
                    throw e;
                }
                // Printed here, before closing onCtrlC lets the JVM halt.
                err.println("dynamo: " + e.getMessage());
                err.flush();
                return null;
            }
        }
    }

    VerifyPlan toPlan() {
        environments.checkTableNames();
        VerifyPlan.Builder plan = bulk.verifyPlan(environments.table);
        if (show < 0 || show > MAX_SHOW) {
            throw DynamoException.usage("--show must be 0 (counts only) to 10,000 keys, not " + show);
        }
        if (tempDirectory != null && !(Files.isDirectory(tempDirectory) && Files.isWritable(tempDirectory))) {
            throw DynamoException.usage("--temp-dir " + tempDirectory + " is not " + (Files.exists(tempDirectory) ? "a writable directory"
                    : "an existing directory") + "; name a directory where the bucket files may be written");
        }
        return plan.targetTable(environments.targetTable)
                .show(show)
                .tempDirectory(tempDirectory)
                .build();
    }
}
