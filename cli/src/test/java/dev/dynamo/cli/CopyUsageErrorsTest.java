package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Every usage error of copy: one line on stderr, exit code 2, nothing on stdout, nothing written anywhere. */
@EngineTest
class CopyUsageErrorsTest {
    private static final String SEGMENTS_WHY = ": each segment costs at least one Scan call and a run reads --threads of them "
            + "at once (without --segments, one per 128 MB of table is chosen)";
    @TempDir
    Path home;

    @TempDir
    Path files;

    private LocalDynamoDb db;
    private LocalDynamoDb other;
    private String source;
    private String target;
    private Map<String, Map<String, AttributeValue>> targetBefore;

    @BeforeEach
    void tables(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = TestTables.table("usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a"), "sk", AttributeValue.fromN("1"), "status", s("open"))));
        target = TestTables.table("usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("old"), "sk", AttributeValue.fromN("1"))));
        targetBefore = CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"));
    }

    /** Runs copy from the source to the target (with --yes and a backup directory) plus {@code more}; expects exit 2. */
    private String fails(String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--yes", "--backup-dir", files.toString()));
        args.addAll(List.of(more));
        return failsWith(args);
    }

    private String failsWith(List<String> args) {
        CommandResult result = Cli.isolated(home).fail(2, args.toArray(String[]::new));
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"))).as("target after %s", result).isEqualTo(targetBefore);
        assertThat(files).as("files after %s", result).isEmptyDirectory();
        return result.stderr().strip();
    }

    @Test
    void missingRequiredOptions() {
        assertThat(failsWith(List.of("copy", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: Missing required option: '--table=TABLE' (see 'dynamo copy --help')");
        assertThat(failsWith(List.of("copy", "-t", source, "--target", other.env())))
                .isEqualTo("dynamo: Missing required option: '--source=ENV' (see 'dynamo copy --help')");
        assertThat(failsWith(List.of("copy", "-t", source, "-src", db.env())))
                .isEqualTo("dynamo: Missing required option: '--target=ENV' (see 'dynamo copy --help')");
    }

    @Test
    void badValues() {
        assertThat(fails("--mode", "mirror")).isEqualTo("dynamo: Invalid value for option '--mode': 'mirror' is not a copy mode; "
                + "expected one of replace, merge (see 'dynamo copy --help')");
        assertThat(fails("--backup", "tape")).isEqualTo("dynamo: Invalid value for option '--backup': 'tape' is not a backup kind; "
                + "expected one of auto, aws, file, none (see 'dynamo copy --help')");
        assertThat(fails("--threads", "0")).isEqualTo("dynamo: --threads must be 1 to 512, not 0");
        assertThat(fails("--threads", "many")).startsWith("dynamo: Invalid value for option '--threads': 'many' is not an int");
        assertThat(fails("--segments", "0")).isEqualTo("dynamo: --segments must be 1 to 100,000, not 0"
                        + SEGMENTS_WHY);
        assertThat(fails("--segments", "100001")).isEqualTo("dynamo: --segments must be 1 to 100,000, not 100001"
                        + SEGMENTS_WHY);
        assertThat(fails("--page-size", "0")).isEqualTo("dynamo: --page-size must be a positive number of items, not 0");
        assertThat(fails("--max-retries", "-1")).isEqualTo("dynamo: --max-retries must be 0 or more, not -1");
        assertThat(fails("--max-rcu", "0")).isEqualTo("dynamo: Invalid value for option '--max-rcu': '0' capacity units per second: "
                + "give a positive number up to 10,000,000 (see 'dynamo copy --help')");
        assertThat(fails("--max-wcu", "lots")).isEqualTo("dynamo: Invalid value for option '--max-wcu': 'lots' is not a number of "
                + "capacity units per second (for example 500) (see 'dynamo copy --help')");
        assertThat(fails("--create-table", "--billing-mode", "cheap")).isEqualTo("dynamo: Invalid value for option '--billing-mode': "
                + "'cheap': expected on-demand, provisioned, or provisioned:READ,WRITE (for example provisioned:5,5) (see 'dynamo copy --help')");
        assertThat(fails("--create-table", "--billing-mode", "provisioned:5,0")).startsWith(
                "dynamo: Invalid value for option '--billing-mode': 'provisioned:5,0': read and write capacity must be positive");
        assertThat(fails("--billing-mode", "on-demand"))
                .isEqualTo("dynamo: --billing-mode sets the billing of a table the copy creates: add --create-table");
        assertThat(failsWith(List.of("copy", "-t", source, "--target-table", "x", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: --target-table 'x' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '-' and '.'");
        assertThat(failsWith(List.of("copy", "-t", "has space", "--source", db.env(), "--target", other.env())))
                .isEqualTo("dynamo: -t/--table 'has space' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '-' and '.'");
        assertThat(fails("--no-such-option")).startsWith("dynamo: unknown option '--no-such-option'");
    }

    @Test
    void badSelections() {
        assertThat(fails("--sk-eq", "1")).isEqualTo(
                "dynamo: --sk-eq selects items of one partition: add --pk VALUE, or drop it to copy the whole table");
        assertThat(fails("-i", "byStatus", "--where", "a = 1")).isEqualTo(
                "dynamo: -i/--index, --where select items of one partition: add --pk VALUE, or drop them to copy the whole table");
        assertThat(fails("--pk", "a", "--segments", "4")).startsWith("dynamo: --segments splits the scan of a whole-table copy;");
        assertThat(fails("--pk", "a", "--sk-eq", "1", "--sk-gt", "0")).isEqualTo(
                "dynamo: only one sort-key condition is allowed, but --sk-eq and --sk-gt were given; use --sk-between LOW HIGH for a range");
        assertThat(fails("--pk", "a", "--sk-eq", "one")).isEqualTo(
                "dynamo: sort key 'sk' is a number (N) key, but 'one' is not a number");
        assertThat(fails("--pk", "a", "b")).startsWith("dynamo: the partition key is given twice (--pk a and b)");
        assertThat(fails("--pk", "a", "-i", "nope")).startsWith("dynamo: index 'nope' not found on table '" + source + "'");
        assertThat(fails("--pk", "open", "-i", "byStatus", "--consistent"))
                .startsWith("dynamo: --consistent is not allowed on global secondary index 'byStatus'");
        assertThat(fails("--pk", "a", "--where", "total >")).startsWith("dynamo: ");
    }

    @Test
    void tablesThatDoNotFit() {
        assertThat(failsWith(List.of("copy", "-t", "no-such-table", "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--yes"))).isEqualTo("dynamo: source table 'no-such-table' not found in '" + db.env()
                + "' (us-east-1); list the tables there with: dynamo tables -e " + db.env());
        String otherKeys = TestTables.table("usage").partitionKey("id", ScalarAttributeType.N).create(other.client());
        assertThat(failsWith(List.of("copy", "-t", source, "--target-table", otherKeys, "--source", db.env(),
                "--target", other.env(), "--yes"))).isEqualTo("dynamo: the target table '" + otherKeys + "' in '" + other.env()
                + "' (us-east-1) has key id (N) but the source has pk (S), sk (N), so no item could be written; copy into a "
                + "table with the same key (--target-table NAME, or --create-table with a new name)");
        String noIndex = TestTables.table("usage").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        assertThat(failsWith(List.of("copy", "-t", source, "--target-table", noIndex, "--source", db.env(),
                "--target", other.env(), "--yes", "-i", "byStatus", "--pk", "open"))).isEqualTo("dynamo: the target table '"
                + noIndex + "' in '" + other.env() + "' (us-east-1) has no index 'byStatus', so the items the selection matches "
                + "there cannot be found; add the index to the target, or copy the whole table");
        assertThat(failsWith(List.of("copy", "-t", source, "--source", "no-such-profile", "--target", other.env())))
                .startsWith("dynamo: unknown AWS profile 'no-such-profile'");
    }
}
