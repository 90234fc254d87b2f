package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Numbers at DynamoDB's limits (38 significant digits, exponents -130 to +125) survive a copy, verify
 * and query exactly, by value, whatever spelling the engine gives them back in: dynalite answers
 * 1E-130 as "0.000…1" (130 zeros), DynamoDB keeps its own canonical form. Nothing here compares
 * the text of a number.
 */
@EngineTest
class NumberFidelityTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> KEYS = List.of("pk", "sk");
    /** Spellings a user or another tool may write; each is its own item's sort key and value. */
    private static final List<String> NUMBERS = List.of("1E-130", "-1E-130", "1.5e-7", "9.9999999999999999999999999999999999999E+125",
            "-9.9999999999999999999999999999999999999E+125", "12345678901234567890123456789012345678",
            "0.12345678901234567890123456789012345678", "1.2345678901234567890123456789012345678E+100", "100", "1E+2x", "0.000", "-17.250");

    @TempDir
    Path home;

    @TempDir
    Path temp;

    private static List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int i = 0;
        for (String number : NUMBERS) {
            String value = number.replace("x", "");  // "1E+2x": the value 100 again, spelled another way, under another key
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s("p" + i++));
            item.put("sk", n(value));
            item.put("value", n(value));
            item.put("set", AttributeValue.fromNs(List.of(value, "1")));
            item.put("nested", AttributeValue.fromM(Map.of("list", AttributeValue.fromL(List.of(n(value), n(negated(value)))))));
            items.add(item);
        }
        return items;
    }

    private static String negated(String number) {
        return number.startsWith("-") ? number.substring(1) : "-" + number;
    }

    @Test
    void copiesVerifiesAndPrintsEveryNumberByValue_atDynamoDbsLimits(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = TestTables.table("numbers").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        String target = TestTables.table("numbers").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<Map<String, AttributeValue>> written = items();
        TestTables.put(db.client(), source, written);

        CommandResult copy = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--yes", "--no-progress");
        assertThat(copy.exitCode()).as("%s", copy).isZero();

        // What the target holds equals, by value, what the test wrote (not only what the source engine answered).
        Map<String, Map<String, AttributeValue>> copied = CopyFixtures.itemsByKey(other.client(), target, KEYS);
        Map<String, Map<String, AttributeValue>> expected = CopyFixtures.byKey(written, KEYS);
        assertThat(copied.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, item) -> assertThat(CopyFixtures.canonical(copied.get(key))).as("item %s", key)
                .isEqualTo(CopyFixtures.canonical(item)));
        for (Map<String, AttributeValue> item : copied.values()) {
            assertThat(new BigDecimal(item.get("value").n()).stripTrailingZeros().precision()).isLessThanOrEqualTo(38);
        }

        CommandResult same = Cli.isolated(home).run("verify", "--temp-dir", temp.toString(), "-t", source, "--target-table", target,
                "--source", db.env(), "--target", other.env());
        assertThat(same.exitCode()).as("%s", same).isZero();

        // The query printers give every number digit for digit: parsed back, each equals what was written.
        CommandResult query = Cli.isolated(home).run("query", "-t", target, "-e", other.env(), "--pk", "p3", "-o", "ddb");
        assertThat(query.exitCode()).as("%s", query).isZero();
        JsonNode printed = JSON.readTree(query.stdout()).get("Items").get(0);
        assertThat(new BigDecimal(printed.get("value").get("N").asText()))
                .isEqualByComparingTo(new BigDecimal("9.9999999999999999999999999999999999999E+125"));
        CommandResult plain = Cli.isolated(home).run("query", "-t", target, "-e", other.env(), "--pk", "p0", "-o", "jsonl");
        assertThat(plain.exitCode()).as("%s", plain).isZero();
        assertThat(JSON.readTree(plain.stdout()).get("value").decimalValue())
                .isEqualByComparingTo(new BigDecimal("1E-130"));

        // One unit in the 38th digit is a difference verify finds.
        Map<String, AttributeValue> changed = new HashMap<>(copied.get(CopyFixtures.keyText(Map.of("pk", s("p5"),
                "sk", n("12345678901234567890123456789012345678")), KEYS)));
        changed.put("value", n("12345678901234567890123456789012345679"));
        other.client().putItem(b -> b.tableName(target).item(changed));
        CommandResult differs = Cli.isolated(home).run("verify", "--temp-dir", temp.toString(), "-t", source, "--target-table", target,
                "--source", db.env(), "--target", other.env());
        assertThat(differs.exitCode()).as("%s", differs).isEqualTo(1);
        assertThat(differs.stdout()).contains("Different: 1 item with the same key", "differs in value");
    }
}
