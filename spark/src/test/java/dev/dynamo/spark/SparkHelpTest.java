package dev.dynamo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dynamo-spark --help} and each command's {@code --help} (copy, export, import, verify) against
 * src/test/resources/help/spark-COMMAND.txt,
 * so that every change to the help is seen in review (regenerate with {@code -Dupdate.snapshots=true}, then read the
 * diff); and a usage error before any Spark starts: one line, exit 2. No Spark context: help and option errors never
 * start one.
 */
class SparkHelpTest {
    @TempDir
    Path home;


    private SparkRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DynamoSpark.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), master -> {
            throw new AssertionError("no Spark context for " + String.join(" ", args));
        }, new EnvironmentResolver(Map.of(), home));
        return new SparkRun(code, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dynamo-spark", "copy", "export", "import", "verify"})
    void matchesTheSnapshot_forEachCommandsHelp(String command) throws IOException {
        SparkRun result = command.equals("dynamo-spark") ? run("--help") : run(command, "--help");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).as("help of %s", command).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        Path snapshot = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/help/spark-" + command + ".txt");
        if (Boolean.getBoolean("update.snapshots")) {
            Files.writeString(snapshot, result.out(), StandardCharsets.UTF_8);
        }
        assertThat(snapshot).as("the help's snapshot; create or update it with -Dupdate.snapshots=true and review the diff")
                .exists();
        assertThat(result.out()).as("help of %s against %s", command, snapshot).isEqualTo(Files.readString(snapshot, StandardCharsets.UTF_8));
    }

    @Test
    void copyHelpEndsWithTheApisItCalls() {
        assertThat(run("copy", "--help").out().strip()).contains("Examples:").endsWith("HeadObject, ListObjectsV2, DeleteObject]");
    }

    @Test
    void importHelpEndsWithTheApisItCalls() {
        assertThat(run("import", "--help").out().strip()).contains("Examples:").endsWith("GetObject]");
    }

    @Test
    void importFromWhereNoExportIs_isOneLineWithExit2_beforeSparkStarts() {
        SparkRun result = run("import", "-t", "T", "-e", "http://127.0.0.1:9", "--from", home.resolve("nothing-here").toString());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
        assertThat(result.err()).startsWith("dynamo: no export at ").hasLineCount(1);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void verifyHelpEndsWithTheApisItCalls() {
        assertThat(run("verify", "--help").out().strip()).contains("Examples:").endsWith("BatchGetItem]");
    }

    @Test
    void verifyShowOutOfRange_isOneLineWithExit2_beforeAnySpark() {
        SparkRun result = run("verify", "-t", "T", "--source", "a", "--target", "b", "--show", "10001");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("dynamo: --show must be 0 (counts only) to 10,000 keys, not 10001\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownOption_isOneLineWithExit2() {
        SparkRun result = run("copy", "--no-such-option", "-t", "T", "--source", "a", "--target", "b");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("dynamo: Unknown option: '--no-such-option' (see dynamo-spark copy --help)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownCommand_isOneLineWithExit2() {
        SparkRun result = run("no-such-command", "-t", "T");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("dynamo: ").contains("'no-such-command'").hasLineCount(1);
    }

    @Test
    void exportHelpEndsWithTheApisItCalls() {
        assertThat(run("export", "--help").out().strip()).contains("Examples:").endsWith("DeleteObject]");
    }

    @Test
    void exportOfASelection_isRefusedInOneLineWithExit2_beforeSparkStarts() {
        SparkRun result = run("export", "-t", "T", "-e", "http://127.0.0.1:1", "--to", home.resolve("x").toString(), "--pk", "a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("dynamo: a selection (--pk, --index, --where) is one Query, which one task would read: "
                + "Spark adds nothing to it; export it with dynamo export\n");
        assertThat(home.resolve("x")).doesNotExist();
    }

    @Test
    void missingOption_isOneLineWithExit2() {
        SparkRun result = run("copy", "-t", "T", "--source", "a");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("dynamo: Missing required option: '--target=ENV' (see dynamo-spark copy --help)\n");
    }
}
