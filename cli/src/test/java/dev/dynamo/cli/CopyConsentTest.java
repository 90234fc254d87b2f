package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineSupport;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@EngineTest
class CopyConsentTest {
    @TempDir
    Path home;

    @TempDir
    Path backups;

    private static final Terminal INTERACTIVE = new Terminal(true, false);

    /** Runs the command with a terminal and the given text as what the user types. */
    private CommandResult runTyping(String typed, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(new EnvironmentResolver(Map.of(), home), INTERACTIVE, () -> new StringReader(typed));
        int exitCode = CommandLineFactory.create(context, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CommandResult(List.of(args), exitCode, out.toString(), err.toString());
    }

    private record Pair(String source, String target) {
    }

    private Pair tablesWithItems(LocalDynamoDb db, LocalDynamoDb other) {
        String source = TestTables.table("consent").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("new1")), Map.of("pk", s("new2"))));
        String target = TestTables.table("consent").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("old1")), Map.of("pk", s("old2")), Map.of("pk", s("old3"))));
        return new Pair(source, target);
    }

    /**
     * " (about N)" with the engine's own ItemCount, or nothing where it says 0: DynamoDB updates the
     * count about every six hours, DynamoDB Local at once, dynalite never.
     */
    private static String about(LocalDynamoDb server, String table) {
        long count = server.client().describeTable(b -> b.tableName(table)).table().itemCount();
        return count > 0 ? " (about " + count + ")" : "";
    }

    private static Map<String, Map<String, AttributeValue>> items(LocalDynamoDb server, String table) {
        return CopyFixtures.itemsByKey(server.client(), table, List.of("pk"));
    }

    @Test
    void refusesWithoutATerminalAndWithoutYes_andChangesNothing(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Pair tables = tablesWithItems(db, other);
        Map<String, Map<String, AttributeValue>> before = items(other, tables.target());

        CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", tables.source(), "--target-table", tables.target(),
                "--source", db.env(), "--target", other.env(), "--backup-dir", backups.toString());

        assertThat(result.stderr()).isEqualTo("dynamo: this copy would delete every item" + about(other, tables.target())
                + " of table '" + tables.target() + "' in '"
                + other.env() + "' (us-east-1) and replace them with those of table '" + tables.source() + "' in '"
                + db.env() + "' (us-east-1), which needs consent: run it again with --yes (a backup is made first), or use "
                + "--mode merge to keep the target's items, or --dry-run to see the plan; nothing was changed\n");
        assertThat(items(other, tables.target())).isEqualTo(before);
        assertThat(backups).isEmptyDirectory();
    }

    @Test
    void asksOnATerminal_andCopiesOnYes(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Pair tables = tablesWithItems(db, other);

        CommandResult result = runTyping("y\n", "copy", "-t", tables.source(), "--target-table", tables.target(),
                "--source", db.env(), "--target", other.env(), "--backup-dir", backups.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderr()).startsWith("This copy will delete every item" + about(other, tables.target()) + " of table '"
                + tables.target() + "'")
                .contains(", after backing it up (--backup auto). Continue? [y/N] ");
        assertThat(items(other, tables.target()).keySet()).containsExactly("S:4\"new1\"|", "S:4\"new2\"|");
    }

    @Test
    void changesNothing_whenTheAnswerIsNotYes(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Pair tables = tablesWithItems(db, other);
        Map<String, Map<String, AttributeValue>> before = items(other, tables.target());
        for (String typed : List.of("n\n", "\n", "", "yess\n")) {
            CommandResult result = runTyping(typed, "copy", "-t", tables.source(), "--target-table", tables.target(),
                    "--source", db.env(), "--target", other.env(), "--backup-dir", backups.toString());
            assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
            assertThat(result.stderr()).endsWith("Continue? [y/N] dynamo: not confirmed: nothing was changed\n");
        }
        assertThat(items(other, tables.target())).isEqualTo(before);
        assertThat(backups).isEmptyDirectory();
    }

    @Test
    void needsNoConsent_whenNothingWouldBeDeleted(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("consent").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a"))));
        String emptyTarget = TestTables.table("consent").partitionKey("pk", ScalarAttributeType.S).create(other.client());

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", emptyTarget,
                "--source", db.env(), "--target", other.env(), "--backup-dir", backups.toString());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderr().lines()).hasSize(1).first().asString().startsWith("copied ");
        assertThat(items(other, emptyTarget)).hasSize(1);
        assertThat(backups).isEmptyDirectory();
    }

    @Test
    void refusesTheSameTable_evenWithYes_underAnotherNameForTheServer(LocalDynamoDb db) {
        String table = TestTables.table("same").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("pk", s("a")), Map.of("pk", s("b"))));
        Map<String, Map<String, AttributeValue>> before = items(db, table);
        String localhost = "http://localhost:" + db.port();

        for (String target : List.of(db.env(), localhost, db.env() + "/")) {
            CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", table, "--source", db.env(), "--target", target,
                    "--yes", "--backup-dir", backups.toString());
            assertThat(result.stderr()).startsWith("dynamo: the source and the target are the same table (both are table '" + table
                    + "' at " + db.env() + "): a copy onto itself would delete what it copies;");
        }
        CommandResult withTargetTable = Cli.isolated(home).fail(2, "copy", "-t", table, "--target-table", table,
                "--source", localhost, "--target", db.env(), "--yes", "--mode", "merge");
        assertThat(withTargetTable.stderr()).contains("are the same table");
        assertThat(items(db, table)).isEqualTo(before);
        assertThat(backups).isEmptyDirectory();
    }

    @Test
    void copiesIntoAnotherTableOfTheSameServer(LocalDynamoDb db) {
        String table = TestTables.table("same").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), table, List.of(Map.of("pk", s("a")), Map.of("pk", s("b"))));
        String copy = TestTables.uniqueName("same-copy");

        CommandResult result = Cli.isolated(home).run("copy", "-t", table, "--target-table", copy, "--create-table",
                "--source", db.env(), "--target", db.env());

        assertThat(result.exitCode()).as("%s", result).isZero();
        CopyFixtures.assertSameItems(db.client(), table, db.client(), copy, List.of("pk"));
    }

    @Test
    void refusesAwsBackupsWhereTheEndpointHasNone_beforeChangingAnything(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        EngineSupport.assumeLacks(other, "CreateBackup");
        Pair tables = tablesWithItems(db, other);
        Map<String, Map<String, AttributeValue>> before = items(other, tables.target());

        CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", tables.source(), "--target-table", tables.target(),
                "--source", db.env(), "--target", other.env(), "--yes", "--backup", "aws", "--backup-dir", backups.toString());

        // DynamoDB Local says "UnknownOperationException: An unknown operation was requested."; dynalite gives no message.
        assertThat(result.stderr()).startsWith("dynamo: cannot back up table '" + tables.target() + "' in '" + other.env()
                + "' (us-east-1) with CreateBackup (UnknownOperationException").contains("); nothing was "
                + "changed; use --backup file (or auto)");
        assertThat(items(other, tables.target())).isEqualTo(before);
        // "nothing was changed" holds for files too: no checkpoint (nor its lock) is left for a --resume to find.
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile)).as("files under ~").isEmpty();
        }
    }
}
