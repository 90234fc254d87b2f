package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.DynamoProcess;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** {@code -q}, {@code -v} and {@code --debug} act the same before the command as after it. */
@EngineTest
class RootOptionsTest {
    @TempDir
    Path home;

    @Test
    void quietBeforeTheCommand_isQuietAsAfterIt(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("root").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a")), Map.of("pk", s("b"))));
        String[] copy = {"copy", "-t", source, "--target-table", TestTables.uniqueName("root"), "--create-table",
            "--source", db.env(), "--target", other.env(), "--yes"};

        CommandResult loud = Cli.isolated(home).run(copyTo(copy, TestTables.uniqueName("root")));
        CommandResult before = Cli.isolated(home).run(prepend("-q", copyTo(copy, TestTables.uniqueName("root"))));
        CommandResult after = Cli.isolated(home).run(append(copyTo(copy, TestTables.uniqueName("root")), "-q"));

        assertThat(loud.exitCode()).as("%s", loud).isZero();
        assertThat(loud.stderr()).as("without -q").contains("copied table");
        assertThat(before.exitCode()).as("%s", before).isZero();
        assertThat(before.stderr()).as("dynamo -q copy ...").isEmpty();
        assertThat(after.exitCode()).as("%s", after).isZero();
        assertThat(after.stderr()).as("dynamo copy ... -q").isEmpty();
    }

    @Test
    void takesATableNameThatLooksLikeAnOption_whenItIsAttached(LocalDynamoDb db) {
        // "--yes" is a valid DynamoDB table name; only --table=--yes gives it (--table --yes is refused: a missing name).
        db.client().createTable(b -> b.tableName("--yes").keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST"));
        try {
            TestTables.awaitActive(db.client(), "--yes");
            assertThat(Cli.isolated(home).succeed("describe", "--table=--yes", "-e", db.env()).stdout()).startsWith("Table:          --yes");
            assertThat(Cli.isolated(home).succeed("query", "-t=--yes", "--pk", "a", "--count", "-e", db.env()).stdout())
                    .contains("\"Count\":0");
            // copy has a --yes option: given apart, it is that option, and the table name is missing.
            assertThat(Cli.isolated(home).fail(2, "copy", "--table", "--yes", "--source", db.env(), "--target", db.env()).stderr())
                    .contains("Expected parameter for option '--table' but found '--yes'");
        } finally {
            db.client().deleteTable(b -> b.tableName("--yes"));
        }
    }

    @Test
    void verboseCopy_saysWhatItDoes_andMoreWithVv(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other,
            @TempDir Path logs) throws Exception {
        String source = TestTables.table("root").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a")), Map.of("pk", s("b"))));
        // Logs go to the process's stderr (not through picocli's writer): the copies run in a JVM of their own.
        List<String> base = List.of("copy", "-t", source, "--create-table", "--source", db.env(), "--target", other.env(), "--yes",
                "--segments", "2");
        DynamoProcess plain = DynamoProcess.start(home, logs, withTarget(base, TestTables.uniqueName("root")));
        DynamoProcess verbose = DynamoProcess.start(home, logs, prependAll(List.of("-v"), withTarget(base, TestTables.uniqueName("root"))));
        DynamoProcess debug = DynamoProcess.start(home, logs, appendAll(withTarget(base, TestTables.uniqueName("root")), List.of("-vv")));

        assertThat(plain.waitFor(java.time.Duration.ofSeconds(60))).as(plain.toString()).isZero();
        assertThat(verbose.waitFor(java.time.Duration.ofSeconds(60))).as(verbose.toString()).isZero();
        assertThat(debug.waitFor(java.time.Duration.ofSeconds(60))).as(debug.toString()).isZero();
        assertThat(plain.stderr()).doesNotContain(" INFO ", " DEBUG ");
        assertThat(verbose.stderr()).contains(" INFO ", "copy " + source + " -> ", ": replace, 8 threads, pages of 1000, checkpoint ",
                "segment 0 of 2 read to its end").doesNotContain(" DEBUG ");
        assertThat(debug.stderr()).contains("segment 1 of 2 read to its end", " DEBUG ", "segment 0: page 1 of ");
    }

    private static List<String> withTarget(List<String> base, String target) {
        List<String> args = new java.util.ArrayList<>(base);
        args.addAll(List.of("--target-table", target));
        return args;
    }

    private static List<String> prependAll(List<String> first, List<String> rest) {
        List<String> args = new java.util.ArrayList<>(first);
        args.addAll(rest);
        return args;
    }

    private static List<String> appendAll(List<String> rest, List<String> last) {
        List<String> args = new java.util.ArrayList<>(rest);
        args.addAll(last);
        return args;
    }

    private static String[] copyTo(String[] copy, String target) {
        String[] args = copy.clone();
        args[4] = target;
        return args;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] args = new String[rest.length + 1];
        args[0] = first;
        System.arraycopy(rest, 0, args, 1, rest.length);
        return args;
    }

    private static String[] append(String[] rest, String last) {
        String[] args = java.util.Arrays.copyOf(rest, rest.length + 1);
        args[rest.length] = last;
        return args;
    }
}
