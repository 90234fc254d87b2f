package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.items.ItemFileReader;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Items DynamoDB refuses to write end up in the dead-letter file and make the copy exit 1; the
 * others are written. The refusal is real: the target has a GSI keyed on a number attribute, and a
 * few source items hold a string there (the source has no such index), which DynamoDB rejects with
 * a ValidationException ("Type mismatch for Index Key").
 */
@EngineTest
class CopyDeadLetterTest {
    @TempDir
    Path home;

    @TempDir
    Path dir;

    @Test
    void keepsItemsThatCannotBeWritten_inTheDeadLetterFile_andExits1(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        String source = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.ALL).create(other.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> bad = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("k" + i)), i));
            item.put("code", i % 30 == 7 ? s("not-a-number-" + i) : n(String.valueOf(i)));
            items.add(item);
            if (i % 30 == 7) {
                bad.add(item);
            }
        }
        TestTables.put(db.client(), source, items);
        Path deadLetters = dir.resolve("failed/orders.jsonl");

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target,
                "--source", db.env(), "--target", other.env(), "--dead-letter", deadLetters.toString(), "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr().lines().toList()).last().isEqualTo("dynamo: 4 items could not be written; they are in "
                + deadLetters + " (DynamoDB JSON lines, with the error of each)");
        // --summary json: the summary is the JSON on stdout alone; stderr has only the line that says what failed.
        assertThat(result.stderr().lines()).hasSize(1);
        JsonNode summary = new ObjectMapper().readTree(result.stdout());
        assertThat(summary.get("written").asLong()).isEqualTo(96);
        assertThat(summary.get("failed").asLong()).isEqualTo(4);
        assertThat(summary.get("deadLetterFile").asText()).isEqualTo(deadLetters.toString());

        // The file holds exactly the refused items, whole and exactly as the source holds them, each with DynamoDB's reason.
        Map<String, Map<String, AttributeValue>> sourceItems = CopyFixtures.itemsByKey(db.client(), source, List.of("pk"));
        Map<String, Map<String, AttributeValue>> expected = new TreeMap<>(sourceItems);
        expected.keySet().retainAll(CopyFixtures.byKey(bad, List.of("pk")).keySet());
        assertThat(expected).hasSize(4);
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(deadLetters), List.of("pk"))).isEqualTo(expected);
        for (String line : Files.readAllLines(deadLetters)) {
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("Operation").asText()).isEqualTo("PUT");
            // DynamoDB (and DynamoDB Local) stop there; dynalite adds the attribute, the types and the index.
            assertThat(json.get("Error").asText()).startsWith(
                    "ValidationException: One or more parameter values were invalid: Type mismatch for Index Key");
        }
        Map<String, Map<String, AttributeValue>> written = CopyFixtures.itemsByKey(other.client(), target, List.of("pk"));
        assertThat(written).hasSize(96);
        sourceItems.keySet().removeAll(expected.keySet());
        assertThat(written).isEqualTo(sourceItems);
    }

    @Test
    void replaceByDifference_keepsItemsThatCannotBeWritten_andStillDeletesTheExtras(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws IOException {
        String source = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S)
                .gsi("byCode", "code", ScalarAttributeType.N, null, null, ProjectionType.ALL).create(other.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> alreadyThere = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("k" + i)), i));
            item.put("code", i % 30 == 7 ? s("not-a-number-" + i) : n(String.valueOf(i)));
            items.add(item);
            if (i < 50 && i % 30 != 7) {
                alreadyThere.add(item);
            }
        }
        TestTables.put(db.client(), source, items);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>(alreadyThere);
        for (int i = 0; i < 5; i++) {
            targetItems.add(Map.of("pk", s("extra" + i), "code", n(String.valueOf(i))));
        }
        TestTables.put(other.client(), target, targetItems);
        Path deadLetters = dir.resolve("failed/orders.jsonl");

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--dead-letter", deadLetters.toString(), "--summary", "json", "--yes",
                "--backup", "none");

        // 48 already equal; of the 52 that differ, the 4 the target's index refuses are dead-lettered; the 5 extras go.
        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        JsonNode summary = new ObjectMapper().readTree(result.stdout());
        assertThat(summary.get("unchanged").asLong()).isEqualTo(48);
        assertThat(summary.get("written").asLong()).isEqualTo(48);
        assertThat(summary.get("failed").asLong()).isEqualTo(4);
        assertThat(summary.get("deleted").asLong()).isEqualTo(5);
        assertThat(ItemFileReader.readAll(deadLetters)).hasSize(4);
        Map<String, Map<String, AttributeValue>> expected = CopyFixtures.itemsByKey(db.client(), source, List.of("pk"));
        expected.keySet().removeAll(CopyFixtures.byKey(ItemFileReader.readAll(deadLetters), List.of("pk")).keySet());
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk"))).isEqualTo(expected);
    }

    @Test
    void createsNoDeadLetterFile_whenEveryItemIsWritten(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("a"))));
        String target = TestTables.table("dead").partitionKey("pk", ScalarAttributeType.S).create(other.client());

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target,
                "--source", db.env(), "--target", other.env(), "--backup-dir", dir.toString(), "--summary", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).contains("\"failed\":0").contains("\"deadLetterFile\":null");
        assertThat(dir).isEmptyDirectory();
    }
}
