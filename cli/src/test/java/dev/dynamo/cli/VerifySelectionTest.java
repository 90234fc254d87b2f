package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo verify} of query selections: on the table (with a sort-key condition and a filter),
 * through a KEYS_ONLY GSI, an INCLUDE GSI and a KEYS_ONLY LSI. Only the selected items are compared,
 * and whole items, so a difference in an attribute the index does not hold is found.
 */
@EngineTest
class VerifySelectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private record Tables(String source, String target) {
    }

    /** The same definition on any server: a KEYS_ONLY GSI, an INCLUDE GSI and a KEYS_ONLY LSI. */
    private static String orders(DynamoDbClient client) {
        return TestTables.table("verify-sel").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY)
                .gsi("byRegion", "region", ScalarAttributeType.S, "total", ScalarAttributeType.N, ProjectionType.INCLUDE, "status")
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .create(client);
    }

    private static Map<String, AttributeValue> order(int i) {
        Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("c" + i % 3), "sk", n(String.valueOf(i))), i));
        item.put("status", s(i % 4 == 0 ? "open" : "done"));
        item.put("region", s(i % 5 == 0 ? "eu" : "us"));
        item.put("total", n(String.valueOf(i)));
        return item;
    }

    /**
     * 30 orders on both sides, then on the target: order 0 (c0, open, eu) differs deep in a map; order 12
     * (c0, open, us) and order 20 (c2, open, eu, total 20) differ in their text; order 13 (c1, done, us) is
     * missing; an extra order (c0, 100, open, eu, total 15) is added. None of these attributes is projected
     * into an index.
     */
    private static Tables setUp(LocalDynamoDb db, LocalDynamoDb other) {
        Tables tables = new Tables(orders(db.client()), orders(other.client()));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            items.add(order(i));
        }
        TestTables.put(db.client(), tables.source(), items);
        List<Map<String, AttributeValue>> changed = new ArrayList<>(items);
        changed.set(0, with(items.get(0), "map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep",
                AttributeValue.fromNs(List.of("7")), "empty", s("not empty"))), "when", n("0")))));
        changed.set(12, with(items.get(12), "text", s("changed")));
        changed.set(20, with(items.get(20), "text", s("changed")));
        changed.remove(13);
        Map<String, AttributeValue> extra = order(100);
        extra.put("pk", s("c0"));
        extra.put("region", s("eu"));
        extra.put("total", n("15"));
        changed.add(extra);
        TestTables.put(other.client(), tables.target(), changed);
        return tables;
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> item, String attribute, AttributeValue value) {
        Map<String, AttributeValue> changed = new HashMap<>(item);
        changed.put(attribute, value);
        return changed;
    }

    private JsonNode verify(LocalDynamoDb db, LocalDynamoDb other, Tables tables, int exitCode, String... selection) throws IOException {
        List<String> args = new ArrayList<>(List.of("verify", "-t", tables.source(), "--target-table", tables.target(), "--source",
                db.env(), "--target", other.env(), "--summary", "json"));
        args.addAll(List.of(selection));
        CommandResult result = Cli.isolated(home).run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s", result).isEqualTo(exitCode);
        assertThat(result.stderr()).as("%s", result).isEmpty();
        JsonNode json = JSON.readTree(result.stdout());
        assertThat(json.get("selection").asBoolean()).isTrue();
        return json;
    }

    /** {@code identical/missing/extra/different missingKeys extraKeys differentItems}, for one-line assertions. */
    private static String summary(JsonNode json) {
        return json.get("identicalItems") + "/" + json.get("missing") + "/" + json.get("extra") + "/" + json.get("different") + " "
                + json.get("missingKeys") + " " + json.get("extraKeys") + " " + json.get("differentItems");
    }

    @Test
    void comparesOnlyTheSelectedItems_ofAPartitionRange_andOfAFilter(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        Tables tables = setUp(db, other);

        // c0 with sk >= 10: 12 (changed), 15, 18, 21, 24, 27, and the extra 100.
        assertThat(summary(verify(db, other, tables, 1, "--pk", "c0", "--sk-ge", "10", "--consistent"))).isEqualTo(
                "5/0/1/1 [] [{\"pk\":\"c0\",\"sk\":100}] [{\"key\":{\"pk\":\"c0\",\"sk\":12},\"attributes\":[\"text\"]}]");
        // ... and open: 12 (changed), 24, and the extra 100.
        assertThat(summary(verify(db, other, tables, 1, "c0", "--sk-ge", "10", "--where", "status = open"))).isEqualTo(
                "1/0/1/1 [] [{\"pk\":\"c0\",\"sk\":100}] [{\"key\":{\"pk\":\"c0\",\"sk\":12},\"attributes\":[\"text\"]}]");
        // c1 below 13: nothing changed there.
        JsonNode same = verify(db, other, tables, 0, "--pk", "c1", "--sk-lt", "13");
        assertThat(summary(same)).isEqualTo("4/0/0/0 [] [] []");
        assertThat(same.get("identical").asBoolean()).isTrue();
    }

    @Test
    void comparesWholeItems_selectedThroughKeysOnlyAndIncludeGsis_andAnLsi(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws IOException {
        Tables tables = setUp(db, other);

        // Open: 0 (map changed), 4, 8, 12 (changed), 16, 20 (changed), 24, 28, and the extra.
        assertThat(summary(verify(db, other, tables, 1, "-i", "byStatus", "--pk", "open"))).isEqualTo(
                "5/0/1/3 [] [{\"pk\":\"c0\",\"sk\":100}] [{\"key\":{\"pk\":\"c0\",\"sk\":0},\"attributes\":[\"map.inner.empty\"]},"
                        + "{\"key\":{\"pk\":\"c0\",\"sk\":12},\"attributes\":[\"text\"]},"
                        + "{\"key\":{\"pk\":\"c2\",\"sk\":20},\"attributes\":[\"text\"]}]");
        // eu with total < 20: 0 (changed), 5, 10, 15, and the extra (total 15).
        assertThat(summary(verify(db, other, tables, 1, "-i", "byRegion", "--pk", "eu", "--sk-lt", "20"))).isEqualTo(
                "3/0/1/1 [] [{\"pk\":\"c0\",\"sk\":100}] [{\"key\":{\"pk\":\"c0\",\"sk\":0},\"attributes\":[\"map.inner.empty\"]}]");
        // c1 with total 5 to 15: 7, 10, 13 (missing).
        assertThat(summary(verify(db, other, tables, 1, "-i", "byTotal", "--pk", "c1", "--sk-between", "5", "15", "--consistent")))
                .isEqualTo("2/1/0/0 [{\"pk\":\"c1\",\"sk\":13}] [] []");
        // us with total >= 21: none changed.
        assertThat(summary(verify(db, other, tables, 0, "-i", "byRegion", "us", "--sk-ge", "21"))).isEqualTo("8/0/0/0 [] [] []");
    }
}
