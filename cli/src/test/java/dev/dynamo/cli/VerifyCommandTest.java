package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
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
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo verify} of whole tables across two servers: identical tables of every attribute type
 * and key shape exit 0; missing, extra and different items (deep in a map, in a set, in the last of
 * 38 digits, in one byte) are each found, listed by key with where they differ, and exit 1.
 */
@EngineTest
class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @TempDir
    Path temp;

    private CommandResult verify(String... args) {
        List<String> all = new ArrayList<>(List.of("verify", "--temp-dir", temp.toString()));
        all.addAll(List.of(args));
        return Cli.isolated(home).run(all.toArray(String[]::new));
    }

    /** A table with a string partition key and a number sort key, on both servers, holding the same items. */
    private static String[] pair(LocalDynamoDb db, LocalDynamoDb other, List<Map<String, AttributeValue>> items) {
        String source = TestTables.table("verify").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String target = TestTables.table("verify").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        TestTables.put(db.client(), source, items);
        TestTables.put(other.client(), target, items);
        return new String[] {source, target};
    }

    private static List<Map<String, AttributeValue>> orders(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(everyType(Map.of("pk", s("c" + i % 3), "sk", n(String.valueOf(i))), i));
        }
        return items;
    }

    @Test
    void exitsZero_forIdenticalTables_ofEveryAttributeTypeAndKeyShape(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        // String and number key, every attribute type.
        String[] orders = pair(db, other, orders(40));
        CommandResult result = verify("-t", orders[0], "--target-table", orders[1], "--source", db.env(), "--target", other.env());
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderr()).as("%s", result).isEmpty();
        assertThat(result.lines()).as("%s", result).containsExactly(
                "Source:    table '" + orders[0] + "' in '" + db.env() + "' (us-east-1): 40 items read",
                "Target:    table '" + orders[1] + "' in '" + other.env() + "' (us-east-1): 40 items read",
                "Identical: 40 items",
                "Missing:   0 items",
                "Extra:     0 items",
                "Different: 0 items",
                result.lines().get(6));
        assertThat(result.lines().get(6)).matches("Result: {4}IDENTICAL \\(\\d+\\.\\d s, [\\d,.]+ RCU\\)");

        // A number partition key, written as different texts of the same values.
        String numbers = TestTables.table("verify-n").partitionKey("id", ScalarAttributeType.N).create(db.client());
        String numbersThere = TestTables.table("verify-n").partitionKey("id", ScalarAttributeType.N).create(other.client());
        TestTables.put(db.client(), numbers, List.of(Map.of("id", n("1.0"), "price", n("12.50"), "ns", AttributeValue.fromNs(List.of("1", "2.0"))),
                Map.of("id", n("-7E+3"), "price", n("0.000"))));
        TestTables.put(other.client(), numbersThere, List.of(Map.of("id", n("1"), "price", n("12.5"), "ns", AttributeValue.fromNs(List.of("2", "1"))),
                Map.of("id", n("-7000"), "price", n("0"))));
        Cli.isolated(home).succeed("verify", "-t", numbers, "--target-table", numbersThere, "-src", db.env(), "-tgt", other.env(),
                "--temp-dir", temp.toString());

        // Binary partition and sort keys.
        String blobs = TestTables.table("verify-b").partitionKey("id", ScalarAttributeType.B).sortKey("part", ScalarAttributeType.B)
                .create(db.client());
        String blobsThere = TestTables.table("verify-b").partitionKey("id", ScalarAttributeType.B).sortKey("part", ScalarAttributeType.B)
                .create(other.client());
        List<Map<String, AttributeValue>> binary = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            binary.add(everyType(Map.of("id", b((byte) (i % 4), (byte) -1), "part", b((byte) i, (byte) 0, (byte) 128)), i));
        }
        TestTables.put(db.client(), blobs, binary);
        TestTables.put(other.client(), blobsThere, binary);
        CommandResult same = Cli.isolated(home).succeed("verify", "-t", blobs, "--target-table", blobsThere, "--src", db.env(), "--dst",
                other.env(), "--temp-dir", temp.toString(), "--segments", "3", "--threads", "2", "--page-size", "7", "--consistent");
        assertThat(same.lines()).contains("Identical: 20 items");
        assertThat(temp).as("the bucket files are deleted").isEmptyDirectory();
    }

    @Test
    void findsMissingExtraAndDifferentItems_andSaysWhereTheyDiffer(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws IOException {
        List<Map<String, AttributeValue>> items = orders(30);
        String[] tables = pair(db, other, items);
        DynamoDbClient target = other.client();
        target.deleteItem(b -> b.tableName(tables[1]).key(Map.of("pk", s("c1"), "sk", n("4"))));
        target.deleteItem(b -> b.tableName(tables[1]).key(Map.of("pk", s("c0"), "sk", n("27"))));
        TestTables.put(target, tables[1], List.of(everyType(Map.of("pk", s("c9"), "sk", n("0.5")), 1)));
        // A change deep in a map, one set element, the last of 38 digits, one byte.
        update(target, tables[1], items.get(5), "map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep",
                AttributeValue.fromNs(List.of("7", "8")), "empty", s(""))), "when", n("5"))));
        update(target, tables[1], items.get(6), "strings", AttributeValue.fromSs(List.of("b", "a", "", "s7")));
        update(target, tables[1], items.get(17), "n38", n("12345678901234567890123456789012345678"));
        update(target, tables[1], items.get(9), "bytes", b((byte) 0, (byte) -1, (byte) 9, (byte) 126));

        CommandResult result = verify("-t", tables[0], "--target-table", tables[1], "--source", db.env(), "--target", other.env());

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).as("%s", result).isEmpty();
        assertThat(result.lines()).as("%s", result).containsSequence(
                "Source:    table '" + tables[0] + "' in '" + db.env() + "' (us-east-1): 30 items read",
                "Target:    table '" + tables[1] + "' in '" + other.env() + "' (us-east-1): 29 items read",
                "Identical: 24 items",
                "Missing:   2 items in the source only",
                "  {\"pk\":\"c0\",\"sk\":27}",
                "  {\"pk\":\"c1\",\"sk\":4}",
                "Extra:     1 item in the target only",
                "  {\"pk\":\"c9\",\"sk\":0.5}",
                "Different: 4 items with the same key",
                "  {\"pk\":\"c0\",\"sk\":6}  differs in strings",
                "  {\"pk\":\"c0\",\"sk\":9}  differs in bytes",
                "  {\"pk\":\"c2\",\"sk\":5}  differs in map.inner.deep",
                "  {\"pk\":\"c2\",\"sk\":17}  differs in n38");
        assertThat(result.lines().get(result.lines().size() - 1)).startsWith("Result:    DIFFERENT: 2 missing, 1 extra, 4 different (");

        JsonNode json = JSON.readTree(verify("-t", tables[0], "--target-table", tables[1], "--source", db.env(), "--target", other.env(),
                "--summary", "json", "--show", "1").stdout());
        assertThat(json.get("identical").asBoolean()).isFalse();
        assertThat(json.get("sourceItems").asLong()).isEqualTo(30);
        assertThat(json.get("targetItems").asLong()).isEqualTo(29);
        assertThat(json.get("identicalItems").asLong()).isEqualTo(24);
        assertThat(json.get("missing").asLong()).isEqualTo(2);
        assertThat(json.get("extra").asLong()).isEqualTo(1);
        assertThat(json.get("different").asLong()).isEqualTo(4);
        assertThat(json.get("missingKeys").toString()).isEqualTo("[{\"pk\":\"c0\",\"sk\":27}]");
        assertThat(json.get("extraKeys").toString()).isEqualTo("[{\"pk\":\"c9\",\"sk\":0.5}]");
        assertThat(json.get("differentItems").toString()).isEqualTo("[{\"key\":{\"pk\":\"c0\",\"sk\":6},\"attributes\":[\"strings\"]}]");

        CommandResult countsOnly = verify("-t", tables[0], "--target-table", tables[1], "--source", db.env(), "--target", other.env(),
                "--show", "0", "--threads", "1");
        assertThat(countsOnly.exitCode()).isEqualTo(1);
        assertThat(countsOnly.lines()).containsSequence("Missing:   2 items in the source only", "  ... and 2 more (list them with --show N)",
                "Extra:     1 item in the target only", "  ... and 1 more (list them with --show N)");
        assertThat(temp).as("the bucket files are deleted").isEmptyDirectory();
    }

    @Test
    void comparesWithAnotherTable_onTheSameServer_andRefusesTheSameTable(LocalDynamoDb db) {
        List<Map<String, AttributeValue>> items = orders(12);
        String source = TestTables.table("verify").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String copy = TestTables.table("verify").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        TestTables.put(db.client(), source, items);
        TestTables.put(db.client(), copy, items);

        Cli.isolated(home).succeed("verify", "-t", source, "--target-table", copy, "--source", db.env(), "--target", db.env());

        assertThat(Cli.isolated(home).fail(2, "verify", "-t", source, "--source", db.env(), "--target", db.env()).stderr().strip())
                .isEqualTo("dynamo: the source and the target are the same table (both are table '" + source + "' at " + db.env()
                        + "), so there is nothing to compare; name the other table with --target or --target-table");
    }

    @Test
    void emptyTablesAreIdentical_andAnEmptyTargetMissesEverything(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String[] empty = pair(db, other, List.of());
        assertThat(verify("-t", empty[0], "--target-table", empty[1], "--source", db.env(), "--target", other.env()).lines())
                .contains("Identical: 0 items", "Missing:   0 items");

        TestTables.put(db.client(), empty[0], orders(25));
        CommandResult result = verify("-t", empty[0], "--target-table", empty[1], "--source", db.env(), "--target", other.env(),
                "--show", "2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.lines()).containsSequence("Missing:   25 items in the source only", "  {\"pk\":\"c0\",\"sk\":0}",
                "  {\"pk\":\"c0\",\"sk\":3}", "  ... and 23 more (list more with --show N)");
    }

    private static void update(DynamoDbClient client, String table, Map<String, AttributeValue> item, String attribute, AttributeValue value) {
        Map<String, AttributeValue> changed = new HashMap<>(item);
        changed.put(attribute, value);
        client.putItem(b -> b.tableName(table).item(changed));
    }
}
