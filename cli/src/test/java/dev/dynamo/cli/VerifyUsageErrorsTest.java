package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Every usage error of verify (and of copy --verify): one line on stderr naming the problem and the fix, exit code 2, no report. */
@EngineTest
class VerifyUsageErrorsTest {
    private static final String SEGMENTS_WHY = ": each segment costs at least one Scan call and a run reads --threads of them "
            + "at once (without --segments, one per 128 MB of table is chosen)";
    @TempDir
    Path home;

    @TempDir
    Path temp;

    private LocalDynamoDb db;
    private LocalDynamoDb other;
    private String source;
    private String target;

    @BeforeEach
    void tables(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = TestTables.table("verify-usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(db.client());
        target = TestTables.table("verify-usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(other.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a"), "sk", n("1"), "status", s("open"))));
    }

    /** Runs verify from the source to the target plus {@code more}; expects exit 2 and returns the one stderr line. */
    private String fails(String... more) {
        return failsAgainst(target, more);
    }

    /** Runs verify from the source to {@code targetTable} on the second server plus {@code more}. */
    private String failsAgainst(String targetTable, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "-t", source, "--target-table", targetTable, "--source", db.env(),
                "--target", other.env()));
        args.addAll(List.of(more));
        if (!args.contains("--temp-dir")) {
            args.addAll(List.of("--temp-dir", temp.toString()));
        }
        return failsWith(args);
    }

    private String failsWith(List<String> args) {
        CommandResult result = Cli.isolated(home).fail(2, args.toArray(String[]::new));
        assertThat(temp).as("files after %s", result).isEmptyDirectory();
        return result.stderr().strip();
    }

    @Test
    void missingRequiredOptions_andUnknownOnes() {
        assertThat(failsWith(List.of("verify", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: Missing required option: '--table=TABLE' (see 'dynamo verify --help')");
        assertThat(failsWith(List.of("verify", "-t", source, "--target", other.env())))
                .isEqualTo("dynamo: Missing required option: '--source=ENV' (see 'dynamo verify --help')");
        assertThat(failsWith(List.of("verify", "-t", source, "-src", db.env())))
                .isEqualTo("dynamo: Missing required option: '--target=ENV' (see 'dynamo verify --help')");
        assertThat(fails("--tempdir", "x")).isEqualTo("dynamo: unknown option '--tempdir'; did you mean '--temp-dir'? (see 'dynamo verify --help')");
    }

    @Test
    void badValues() throws IOException {
        assertThat(fails("--threads", "0")).isEqualTo("dynamo: --threads must be 1 to 512, not 0");
        assertThat(fails("--threads", "513")).isEqualTo("dynamo: --threads must be 1 to 512, not 513");
        assertThat(fails("--segments", "0")).isEqualTo("dynamo: --segments must be 1 to 100,000, not 0"
                        + SEGMENTS_WHY);
        assertThat(fails("--page-size", "0")).isEqualTo("dynamo: --page-size must be a positive number of items, not 0");
        assertThat(fails("--max-retries", "-1")).isEqualTo("dynamo: --max-retries must be 0 or more, not -1");
        assertThat(fails("--show", "-1")).isEqualTo("dynamo: --show must be 0 (counts only) to 10,000 keys, not -1");
        assertThat(fails("--show", "10001")).isEqualTo("dynamo: --show must be 0 (counts only) to 10,000 keys, not 10001");
        assertThat(fails("--show", "many")).startsWith("dynamo: Invalid value for option '--show': 'many' is not an int");
        assertThat(fails("--max-rcu", "0")).startsWith("dynamo: Invalid value for option '--max-rcu': '0' capacity units per second: "
                + "give a positive number up to 10,000,000");
        assertThat(fails("--summary", "xml")).startsWith("dynamo: Invalid value for option '--summary': expected one of [text, json]");
        Path missing = temp.resolve("missing");
        assertThat(fails("--temp-dir", missing.toString())).isEqualTo("dynamo: --temp-dir " + missing
                + " is not an existing directory; name a directory where the bucket files may be written");
        Path file = Files.createFile(home.resolve("a-file"));
        assertThat(fails("--temp-dir", file.toString())).isEqualTo("dynamo: --temp-dir " + file
                + " is not a writable directory; name a directory where the bucket files may be written");
        assertThat(failsWith(List.of("verify", "-t", "ab", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: -t/--table 'ab' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '-' and '.'");
        assertThat(failsAgainst("a b c")).isEqualTo("dynamo: --target-table 'a b c' is not a DynamoDB table name: "
                + "3 to 255 letters, digits, '_', '-' and '.'");
    }

    @Test
    void selectionMistakes() {
        assertThat(fails("--sk", "x")).isEqualTo("dynamo: --sk selects items of one partition: add --pk VALUE, or drop it to verify "
                + "the whole table");
        assertThat(fails("-i", "byStatus", "--where", "a = 1")).isEqualTo("dynamo: -i/--index, --where select items of one partition: "
                + "add --pk VALUE, or drop them to verify the whole table");
        assertThat(fails("--pk", "a", "--segments", "4")).isEqualTo("dynamo: --segments splits the scan of a whole table; a verification "
                + "selected with --pk is read by one query per table: drop --segments");
        assertThat(fails("--pk", "a", "b")).isEqualTo("dynamo: the partition key is given twice (--pk a and b): give it once, as "
                + "--pk VALUE or as the positional argument");
        assertThat(fails("--pk", "a", "--sk-eq", "one")).isEqualTo("dynamo: sort key 'sk' is a number (N) key, but 'one' is not a number");
        assertThat(fails("--pk", "a", "--sk", "1", "--sk-lt", "2")).isEqualTo("dynamo: only one sort-key condition is allowed, but --sk "
                + "and --sk-lt were given; use --sk-between LOW HIGH for a range");
        assertThat(fails("-i", "byStatus", "--pk", "open", "--consistent")).isEqualTo("dynamo: --consistent is not allowed on global "
                + "secondary index 'byStatus': GSIs only support eventually consistent reads; drop --consistent, or query the table or "
                + "an LSI");
        assertThat(fails("-i", "byStatuss", "--pk", "open")).isEqualTo("dynamo: index 'byStatuss' not found on table '" + source
                + "' in '" + db.env() + "' (us-east-1); its indexes are: byStatus (GSI)");
        assertThat(fails("--pk", "a", "--where", "status ~ x")).startsWith("dynamo: cannot read --where 'status ~ x': expected PATH OP VALUE");
    }

    @Test
    void tablesThatCannotBeCompared() {
        assertThat(failsWith(List.of("verify", "-t", "no-such-table", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: source table 'no-such-table' not found in '" + db.env() + "' (us-east-1); list the tables there "
                        + "with: dynamo tables -e " + db.env());
        assertThat(failsWith(List.of("verify", "-t", source, "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: target table '" + source + "' not found in '" + other.env() + "' (us-east-1); name the table to "
                        + "compare with using --target-table, or list the tables there with: dynamo tables -e " + other.env());

        String otherKey = TestTables.table("verify-usage").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        assertThat(failsAgainst(otherKey)).isEqualTo("dynamo: the target table '" + otherKey + "' in '" + other.env()
                + "' (us-east-1) has key pk (S) but the source has pk (S), sk (N), so their items cannot be matched by key; compare "
                + "tables with the same key");

        String noIndex = TestTables.table("verify-usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        assertThat(failsAgainst(noIndex, "-i", "byStatus", "--pk", "open")).isEqualTo("dynamo: the target table '" + noIndex
                + "' in '" + other.env() + "' (us-east-1) has no index 'byStatus', so the items the selection matches there cannot "
                + "be found; add the index to the target, or compare the whole tables");

        String otherIndex = TestTables.table("verify-usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "state", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(other.client());
        assertThat(failsAgainst(otherIndex, "-i", "byStatus", "--pk", "open")).isEqualTo("dynamo: index 'byStatus' has key "
                + "state (S) (GSI) on the target but status (S) (GSI) on the source, so the same selection would match different items");
    }

    @Test
    void copy_refusesWriteOptionsThatDoNotFitTheMode_beforeReadingAnything() {
        List<String> copy = List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", other.env(),
                "--yes");
        assertThat(failsWith(concat(copy, "--skip-unchanged"))).isEqualTo("dynamo: --skip-unchanged is for --mode merge: a "
                + "replace always writes only what differs (--rewrite-all to write every item)");
        assertThat(failsWith(concat(copy, "--mode", "merge", "--rewrite-all"))).isEqualTo("dynamo: --rewrite-all is for --mode "
                + "replace: a merge writes every item already");
        assertThat(failsWith(concat(copy, "--mode", "merge", "--rewrite-all", "--skip-unchanged"))).isEqualTo("dynamo: "
                + "--rewrite-all writes every item and --skip-unchanged only those that differ: drop one of them");
        assertThat(failsWith(concat(copy, "--estimate"))).isEqualTo("dynamo: --estimate changes what --dry-run reads: add "
                + "--dry-run");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void copyVerify_refusesADryRun() {
        assertThat(failsWith(List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target", other.env(),
                "--verify", "--dry-run"))).isEqualTo("dynamo: --verify compares the target with the source after a copy, and --dry-run "
                        + "copies nothing: drop one of them");
        assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
    }
}
