package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Query-selected copies: the target ends with exactly the source's selection, whole items even from
 * indexes that project less, and nothing outside the selection changes.
 */
@EngineTest
class CopySelectionTest {
    private static final List<String> KEYS = List.of("pk", "sk");

    @TempDir
    Path home;

    @TempDir
    Path backups;

    /** The same definition on any server: a KEYS_ONLY GSI, an INCLUDE GSI and a KEYS_ONLY LSI. */
    private static String orders(DynamoDbClient client) {
        return TestTables.table("orders").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
                .gsi("byRegion", "region", ScalarAttributeType.S, "total", ScalarAttributeType.N, ProjectionType.INCLUDE, "status")
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .create(client);
    }

    private static Map<String, AttributeValue> order(String customer, String sk, String status, String region, int total, String version) {
        Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s(customer), "sk", s(sk)), total));
        item.put("status", s(status));
        item.put("region", s(region));
        item.put("total", n(String.valueOf(total)));
        item.put("version", s(version));
        return item;
    }

    private record Setup(String source, String target, List<Map<String, AttributeValue>> sourceItems,
            List<Map<String, AttributeValue>> targetItems) {
    }

    /**
     * Source and target share some keys (with different versions), and each has keys the other lacks, in
     * and out of every selection the tests make.
     */
    private static Setup setUp(LocalDynamoDb db, LocalDynamoDb other) {
        String source = orders(db.client());
        String target = orders(other.client());
        List<Map<String, AttributeValue>> sourceItems = new ArrayList<>();
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = "c" + (i % 3);
            String sk = (i % 2 == 0 ? "2024-" : "2023-") + String.format("%02d", i);
            String status = i % 4 == 0 ? "open" : "done";
            String region = i % 5 == 0 ? "eu" : "us";
            if (i % 6 != 5) {
                sourceItems.add(order(customer, sk, status, region, i, "new"));
            }
            if (i % 3 != 1) {
                // The target's copy of a key may differ, even in its index keys (status 'open' where the source says 'done').
                targetItems.add(order(customer, sk, i % 7 == 0 ? "open" : status, region, i, "old"));
            }
        }
        targetItems.add(order("c0", "2024-99", "open", "eu", 99, "target-only"));
        targetItems.add(order("c9", "2024-01", "open", "eu", 7, "target-only"));
        TestTables.put(db.client(), source, sourceItems);
        TestTables.put(other.client(), target, targetItems);
        return new Setup(source, target, sourceItems, targetItems);
    }

    /** What the target must hold: its items outside the selection, and the source's items inside it. */
    private static Map<String, Map<String, AttributeValue>> expected(Setup setup, Predicate<Map<String, AttributeValue>> selected,
            boolean merge) {
        Map<String, Map<String, AttributeValue>> expected = new HashMap<>();
        for (Map<String, AttributeValue> item : setup.targetItems()) {
            if (merge || !selected.test(item)) {
                expected.put(CopyFixtures.keyText(item, KEYS), item);
            }
        }
        for (Map<String, AttributeValue> item : setup.sourceItems()) {
            if (selected.test(item)) {
                expected.put(CopyFixtures.keyText(item, KEYS), item);
            }
        }
        return expected;
    }

    private CommandResult copy(LocalDynamoDb db, LocalDynamoDb other, Setup setup, String... selection) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", setup.source(), "--target-table", setup.target(),
                "--source", db.env(), "--target", other.env(), "--yes", "--backup-dir", backups.toString()));
        args.addAll(List.of(selection));
        CommandResult result = Cli.isolated(home).run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result;
    }

    private static void assertTarget(LocalDynamoDb other, Setup setup, Map<String, Map<String, AttributeValue>> expected) {
        Map<String, Map<String, AttributeValue>> actual = CopyFixtures.itemsByKey(other.client(), setup.target(), KEYS);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, item) -> CopyFixtures.assertSameValues(item, actual.get(key)));
    }

    @Test
    void copiesAPartitionRangeOfTheTable_deletingStaleItems_andLeavingOthers(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws IOException {
        Setup setup = setUp(db, other);
        Predicate<Map<String, AttributeValue>> selected = item -> item.get("pk").s().equals("c0") && item.get("sk").s().startsWith("2024-");

        CommandResult result = copy(db, other, setup, "--pk", "c0", "--sk", "2024-");

        assertTarget(other, setup, expected(setup, selected, false));
        // The file backup holds the target's selected items as they were, and only those.
        Path backup;
        try (Stream<Path> files = Files.list(backups)) {
            backup = files.findFirst().orElseThrow();
        }
        assertThat(CopyFixtures.byKey(ItemFileReader.readAll(backup), KEYS).keySet()).isEqualTo(
                CopyFixtures.byKey(setup.targetItems().stream().filter(selected).toList(), KEYS).keySet());
        assertThat(result.stderr()).contains("backed up the selected items of table '" + setup.target() + "'");
        assertThat(result.stderr()).contains("copied the selected items of table '" + setup.source() + "'");
    }

    @Test
    void copiesWholeItems_selectedThroughAKeysOnlyGsi(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Setup setup = setUp(db, other);
        Predicate<Map<String, AttributeValue>> selected = item -> item.get("status").s().equals("open");

        CommandResult result = copy(db, other, setup, "-i", "byStatus", "--pk", "open", "--backup", "none");

        assertTarget(other, setup, expected(setup, selected, false));
        assertThat(result.stderr()).contains("no backup of table '" + setup.target() + "'");
    }

    @Test
    void copiesWholeItems_selectedThroughAnIncludeGsiWithASortCondition(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) {
        Setup setup = setUp(db, other);
        Predicate<Map<String, AttributeValue>> selected = item -> item.get("region").s().equals("eu")
                && Integer.parseInt(item.get("total").n()) >= 10;

        copy(db, other, setup, "-i", "byRegion", "--pk", "eu", "--sk-ge", "10");

        assertTarget(other, setup, expected(setup, selected, false));
    }

    @Test
    void copiesWholeItems_selectedThroughAKeysOnlyLsi_withAFilter(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Setup setup = setUp(db, other);
        // The filter runs on what the index returns: a KEYS_ONLY LSI holds only keys, so it filters on a key.
        Predicate<Map<String, AttributeValue>> selected = item -> item.get("pk").s().equals("c1")
                && Integer.parseInt(item.get("total").n()) < 20 && !item.get("sk").s().equals("2023-07");

        copy(db, other, setup, "-i", "byTotal", "--pk", "c1", "--sk-lt", "20", "--where", "sk != 2023-07");

        assertTarget(other, setup, expected(setup, selected, false));
    }

    @Test
    void mergeOfASelectionDeletesNothing(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        Setup setup = setUp(db, other);
        Predicate<Map<String, AttributeValue>> selected = item -> item.get("status").s().equals("open");

        CommandResult result = copy(db, other, setup, "-i", "byStatus", "--pk", "open", "--mode", "merge");

        assertTarget(other, setup, expected(setup, selected, true));
        assertThat(result.stderr()).contains(", deleted 0,");
        assertThat(backups).isEmptyDirectory();
    }
}
