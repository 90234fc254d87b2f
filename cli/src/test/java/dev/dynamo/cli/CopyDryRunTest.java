package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** --dry-run says what would be read, backed up, deleted and written, and changes nothing. */
@EngineTest
class CopyDryRunTest {
    @TempDir
    Path home;

    @TempDir
    Path backups;

    @Test
    void describesAWholeTableReplace_andChangesNothing(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("dry").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(Map.of("pk", s("k" + i), "data", s("x".repeat(2000))));
        }
        TestTables.put(db.client(), source, items);
        String target = TestTables.table("dry").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("old1")), Map.of("pk", s("old2"))));
        Map<String, Map<String, AttributeValue>> before = CopyFixtures.itemsByKey(other.client(), target, List.of("pk"));

        // No --yes and no terminal: a dry run needs no consent, since it changes nothing.
        CommandResult result = Cli.isolated(home).succeed("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--dry-run", "--threads", "4", "--backup-dir", backups.toString());

        // A whole-table dry run estimates from DescribeTable's ItemCount and TableSizeBytes, which DynamoDB updates about every
        // six hours, DynamoDB Local at once and dynalite never (always 0): the lines follow what the engine reports.
        boolean counted = db.client().describeTable(b -> b.tableName(source)).table().itemCount() > 0;
        String estimated = counted ? "~100 items" : "~0 items";
        String bytes = counted ? "196.2 KiB" : "0 B";
        // A replace into a target with items reads and compares both sides: its counts are exact.
        assertThat(result.lines()).hasSize(9).startsWith(
                "Dry run: nothing was changed.",
                "Source:  table '" + source + "' in '" + db.env() + "' (us-east-1), " + estimated + ", " + bytes,
                "Target:  table '" + target + "' in '" + other.env() + "' (us-east-1), has items",
                "Mode:    replace by difference: back up the target, write the 100 items missing or different, then delete the "
                        + "2 the source lacks; 0 are unchanged");
        assertThat(result.lines().get(4)).startsWith("Read:    100 items, parallel scan in 4 segments, ");
        assertThat(result.lines().subList(5, 8)).containsExactly(
                "Backup:  2 items (auto: an AWS backup where CreateBackup is supported, otherwise a file)",
                "Delete:  2 items, 2 WCU",
                "Write:   100 items, 100 WCU");
        assertThat(result.lines().get(8)).startsWith("(This dry run read and compared both sides: ");

        // --estimate reads neither side: DescribeTable's counts, the most the copy could write and delete.
        CommandResult estimate = Cli.isolated(home).succeed("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--dry-run", "--estimate", "--threads", "4", "--backup-dir", backups.toString());
        assertThat(estimate.lines()).contains(
                "Mode:    replace by difference: back up the target, write what is missing or different, then delete what the "
                        + "source lacks (counts below are the most it could be: --estimate reads neither side)",
                "Read:    " + estimated + " (" + bytes + "), parallel scan in 4 segments, ~" + (counted ? 25 : 0) + " RCU",
                "Delete:  ~" + (counted ? 2 : 0) + " items, ~" + (counted ? 2 : 0) + " WCU",
                "Write:   " + estimated + ", ~" + (counted ? 200 : 0) + " WCU");
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk"))).isEqualTo(before);
        assertThat(backups).isEmptyDirectory();
    }

    @Test
    void countsASelectionExactly_asJson(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws IOException {
        String source = TestTables.table("dry").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String target = TestTables.table("dry").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<Map<String, AttributeValue>> sourceItems = new ArrayList<>();
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sourceItems.add(Map.of("pk", s(i < 12 ? "a" : "b"), "sk", n("" + i)));
            targetItems.add(Map.of("pk", s(i < 15 ? "a" : "b"), "sk", n("" + (i + 5))));
        }
        TestTables.put(db.client(), source, sourceItems);
        TestTables.put(other.client(), target, targetItems);
        Map<String, Map<String, AttributeValue>> before = CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"));

        CommandResult result = Cli.isolated(home).succeed("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--pk", "a", "--dry-run", "--summary", "json", "--backup", "none");

        JsonNode json = new ObjectMapper().readTree(result.stdout());
        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("exact").asBoolean()).isTrue();
        assertThat(json.get("selection").asText()).isEqualTo("partition key = a, on the table");
        assertThat(json.at("/read/items").asLong()).isEqualTo(12);   // source a: sk 0..11
        // By difference: target a holds sk 5..19; 5..11 are equal, 0..4 missing, 12..19 extra.
        assertThat(json.get("compared").asBoolean()).isTrue();
        assertThat(json.get("unchanged").asLong()).isEqualTo(7);
        assertThat(json.at("/write/items").asLong()).isEqualTo(5);
        assertThat(json.at("/delete/items").asLong()).isEqualTo(8);
        assertThat(json.at("/backup/kind").asText()).isEqualTo("none");
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk", "sk"))).isEqualTo(before);
    }
}
