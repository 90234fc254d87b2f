package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every {@code --where} example of the README's Filters table runs against a table shaped like the
 * quick start's sample table {@code Orders} (dev/sample/SampleData.java: pk/sk strings, GSI byStatus on
 * status/created, LSI byTotal on total), and finds the items it describes.
 */
@EngineTest
class ReadmeFilterExamplesTest {
    private static final Pattern EXAMPLE = Pattern.compile("`--where '([^']+)'`");

    @TempDir
    Path home;

    @Test
    void everyFilterExampleRunsAgainstTheSampleTable(LocalDynamoDb db) throws IOException {
        String table = TestTables.table("readme").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.S)
                .gsi("byStatus", "status", ScalarAttributeType.S, "created", ScalarAttributeType.S, ProjectionType.ALL)
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.KEYS_ONLY)
                .create(db.client());
        // One item that each example finds (as SampleData's items hold them), and one that none finds.
        TestTables.put(db.client(), table, List.of(
                Map.of("pk", s("customer#3"), "sk", s("order#0003"), "status", s("shipped"), "created", s("2024-03-04T10:03:00Z"),
                        "total", n("131.03"), "gift", AttributeValue.fromBool(true), "note", AttributeValue.fromNul(true),
                        "tags", AttributeValue.fromSs(List.of("express", "fragile")),
                        "lines", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("sku", s("sku-3"), "price", n("19.99"))))),
                        "address", AttributeValue.fromM(Map.of("city", s("Paris")))),
                Map.of("pk", s("customer#3"), "sk", s("order#0023"), "status", s("cancelled"), "created", s("2023-01-01T00:00:00Z"),
                        "total", n("1"), "gift", AttributeValue.fromBool(false), "tags", AttributeValue.fromSs(List.of("standard")))));

        List<String> examples = new ArrayList<>();
        String readme = Files.readString(Path.of(System.getProperty("dynamo.root.dir", ".")).resolve("README.md"));
        String filters = readme.substring(readme.indexOf("**Filters**"), readme.indexOf("A filter runs after DynamoDB reads the items"));
        Matcher matcher = EXAMPLE.matcher(filters);
        while (matcher.find()) {
            examples.add(matcher.group(1));
        }
        assertThat(examples).as("examples in the README's Filters table").hasSizeGreaterThanOrEqualTo(10);

        for (String where : examples) {
            CommandResult result = Cli.isolated(home).run("query", "-t", table, "--pk", "customer#3", "--where", where, "--count",
                    "-o", "json", "-e", db.env());
            assertThat(result.exitCode()).as("%s", result).isZero();
            long count = Long.parseLong(result.stdout().replaceAll("(?s).*\"Count\":(\\d+).*", "$1"));
            // Each example finds one of the two items ('note not_exists' the second), but 'note = "two words"', which neither holds.
            assertThat(count).as("items found by --where '%s'", where).isEqualTo(where.contains("two words") ? 0 : 1);
        }
    }
}
