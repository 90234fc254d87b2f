package dev.dynamo.cli;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import dev.dynamo.copy.BackupMode;
import dev.dynamo.copy.CopyCheckpoint;
import dev.dynamo.copy.CopyPreview;
import dev.dynamo.query.QuerySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.util.List;
import java.util.Locale;

/**
 * The consent a copy that deletes target items needs: a {@code y} on a terminal, or {@code --yes};
 * without a terminal, a usage error saying how to give it. The question names what is deleted and
 * the backup made first.
 */
final class CopyConsent {
    private CopyConsent() {
    }

    /** Asks on a terminal; refuses without one. Returns only with consent. */
    static void ask(CopyPreview preview, CliContext context, PrintWriter err) {
        String deletion = deletion(preview);
        if (!context.terminal().interactive()) {
            throw DynamoException.usage("this copy would " + deletion + ", which needs consent: run it again with --yes"
                    + (preview.earlierBackup() != null ? " (its backup is already made)"
                    : preview.backup() == BackupMode.NONE ? "" : " (a backup is made first)")
                    + ", or use --mode merge to keep the target's items, or --dry-run to see the plan; nothing was changed");
        }
        confirm("This copy will " + deletion + backupText(preview) + ". Continue? [y/N] ", context, err);
    }

    /** Asks {@code question} on the terminal; anything but y or yes is a refusal (exit 1, nothing changed). */
    private static void confirm(String question, CliContext context, PrintWriter err) {
        err.print(question);
        err.flush();
        String answer;
        try {
            Reader input = context.input().get();
            answer = (input instanceof BufferedReader buffered ? buffered : new BufferedReader(input)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT))) {
            throw new DynamoException(ExitCode.FAILURE, "not confirmed: nothing was changed");
        }
    }

    /**
     * Asks before an import deletes items: on a terminal, y/N; elsewhere refused with the one line saying how to consent.
     *
     * @param deletion what it would delete, e.g. {@code delete the items of table 'Orders' in 'dev' that the import lacks}
     */
    static void askForImport(String deletion, CliContext context, PrintWriter err) {
        if (!context.terminal().interactive()) {
            throw DynamoException.usage("this import would " + deletion + ", which needs consent: run it again with --yes, "
                    + "or --dry-run to see the plan; nothing was changed");
        }
        confirm("This import will " + deletion + ". Continue? [y/N] ", context, err);
    }

    private static String backupText(CopyPreview preview) {
        if (preview.earlierBackup() != null) {
            return ", whose backup the stopped copy made: " + preview.earlierBackup().describe();
        }
        if (preview.backup() == BackupMode.NONE) {
            return preview.resumeFrom() != null && preview.resumeFrom().stage() != CopyCheckpoint.Stage.START
                    ? ", with no backup (the stopped copy made none)" : ", with no backup (--backup none)";
        }
        return ", after backing it up (--backup " + preview.backup().name().toLowerCase(Locale.ROOT) + ")";
    }

    private static String deletion(CopyPreview preview) {
        if (preview.selection() != null) {
            return "delete the items of " + preview.target() + " selected by " + selectionText(preview.selection())
                    + " that the source's selection does not have";
        }
        long items = preview.targetSchema().itemCount();
        // delete every item (about 3) of table 'Orders' in 'dev' (us-east-1) and replace them with those of ...
        return "delete every item" + (items > 0 ? String.format(Locale.ROOT, " (about %,d)", items) : "") + " of " + preview.target()
                + " and replace them with those of " + preview.source();
    }

    private static String selectionText(QuerySpec selection) {
        return "--pk " + selection.partitionValue() + (selection.index() == null ? "" : " on index " + selection.index());
    }
}
