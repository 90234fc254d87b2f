package dev.dynamo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;

/**
 * Compares a text with a file under {@code src/test/resources} and, on a difference, fails with a
 * line diff. Run with {@code -Dupdate.snapshots=true} to write the current text instead, then
 * review the change with {@code git diff}.
 */
public final class Snapshot {
    /** The system property that makes {@link #assertMatches} write the snapshot instead of comparing. */
    public static final String UPDATE_PROPERTY = "update.snapshots";

    private Snapshot() {
    }

    /**
     * @param resource the file, relative to {@code src/test/resources}, e.g. {@code help/query.txt}
     * @param what     what the text is, for the failure message
     */
    public static void assertMatches(String resource, String actual, String what) {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources").resolve(resource);
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                Assertions.fail("no snapshot " + file + " for " + what + "; create it with " + regenerate());
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                Assertions.fail(what + " differs from " + file + " (- snapshot, + actual):\n" + diff(expected, actual)
                        + "\nIf the change is intended, regenerate the snapshots with " + regenerate()
                        + " and review them with git diff.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String regenerate() {
        return "./mvnw -B -q test -Dtest=HelpSnapshotTest -D" + UPDATE_PROPERTY + "=true";
    }

    /** A line diff (longest common subsequence): " " same, "-" only expected, "+" only actual. */
    static String diff(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add("  " + a.get(i++));
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        if (expected.endsWith("\n") != actual.endsWith("\n")) {
            out.add(actual.endsWith("\n") ? "+ (newline at the end)" : "- (newline at the end)");
        }
        return withContext(out);
    }

    /** Only the changed lines and {@value #CONTEXT_LINES} lines around each, as diff -u shows them. */
    private static String withContext(List<String> lines) {
        StringBuilder text = new StringBuilder();
        boolean skipped = false;
        for (int k = 0; k < lines.size(); k++) {
            boolean near = false;
            for (int d = Math.max(0, k - CONTEXT_LINES); d <= Math.min(lines.size() - 1, k + CONTEXT_LINES) && !near; d++) {
                near = !lines.get(d).startsWith("  ");
            }
            if (near) {
                text.append(skipped ? "  ...\n" : "").append(lines.get(k)).append('\n');
                skipped = false;
            } else {
                skipped = true;
            }
        }
        return text.append(skipped ? "  ...\n" : "").toString();
    }

    private static final int CONTEXT_LINES = 3;
}
