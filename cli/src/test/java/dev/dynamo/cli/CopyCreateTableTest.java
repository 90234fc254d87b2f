package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineSupport;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

@EngineTest
class CopyCreateTableTest {
    @TempDir
    Path home;

    private static TableDescription describe(DynamoDbClient client, String table) {
        return client.describeTable(b -> b.tableName(table)).table();
    }

    /** What CreateTable was given, as DescribeTable reports it: keys, definitions, indexes and projections. */
    private static List<String> definition(TableDescription table) {
        List<String> lines = new ArrayList<>();
        lines.add("keys " + table.keySchema());
        lines.add("attributes " + table.attributeDefinitions().stream()
                .sorted(Comparator.comparing(a -> a.attributeName())).toList());
        for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes().stream()
                .sorted(Comparator.comparing(GlobalSecondaryIndexDescription::indexName)).toList()) {
            lines.add("GSI " + index.indexName() + " " + index.keySchema() + " " + index.projection());
        }
        for (LocalSecondaryIndexDescription index : table.localSecondaryIndexes().stream()
                .sorted(Comparator.comparing(LocalSecondaryIndexDescription::indexName)).toList()) {
            lines.add("LSI " + index.indexName() + " " + index.keySchema() + " " + index.projection());
        }
        return lines;
    }

    @Test
    void createsTheTargetFromTheSourcesDefinition_withGsisAndLsis(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        createsTheTargetFromTheSourcesDefinition(db, other, false);
    }

    @Test
    void createsTheTargetFromTheSourcesDefinition_withTtl(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        EngineSupport.assumeSupports(db, "UpdateTimeToLive");
        EngineSupport.assumeSupports(other, "UpdateTimeToLive");
        createsTheTargetFromTheSourcesDefinition(db, other, true);
    }

    private void createsTheTargetFromTheSourcesDefinition(LocalDynamoDb db, LocalDynamoDb other, boolean ttl) {
        String source = TestTables.table("create").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, "created", ScalarAttributeType.N, ProjectionType.ALL)
                .gsi("byOwner", "owner", ScalarAttributeType.B, null, null, ProjectionType.KEYS_ONLY)
                .gsi("byRegion", "region", ScalarAttributeType.S, null, null, ProjectionType.INCLUDE, "total", "note")
                .lsi("byTotal", "total", ScalarAttributeType.N, ProjectionType.INCLUDE, "status")
                .lsi("byName", "name", ScalarAttributeType.S, ProjectionType.KEYS_ONLY)
                .create(db.client());
        if (ttl) {
            db.client().updateTimeToLive(b -> b.tableName(source).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("p" + i % 4), "sk", n("" + i)), i));
            item.put("status", s(i % 3 == 0 ? "open" : "done"));
            item.put("created", n("" + (1000 + i)));
            item.put("owner", b((byte) (i % 5)));
            item.put("region", s("eu"));
            item.put("total", n(i + ".25"));
            item.put("expires", n("4102444800"));
            items.add(item);
        }
        TestTables.put(db.client(), source, items);
        String target = TestTables.uniqueName("created");

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--create-table",
                "--source", db.env(), "--target", other.env());

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stderr()).contains("created table '" + target + "' in '" + other.env()
                + "' (us-east-1) from the source's definition (pk (S), sk (N), 5 indexes, PAY_PER_REQUEST"
                + (ttl ? ", TTL on expires)" : ")"));
        TableDescription created = describe(other.client(), target);
        assertThat(definition(created)).isEqualTo(definition(describe(db.client(), source)));
        assertThat(created.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        if (ttl) {
            assertThat(other.client().describeTimeToLive(b -> b.tableName(target)).timeToLiveDescription())
                    .satisfies(description -> {
                        assertThat(description.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
                        assertThat(description.attributeName()).isEqualTo("expires");
                    });
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
    }

    @Test
    void createsAProvisionedTable_withTheCapacityGiven(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("create").partitionKey("pk", ScalarAttributeType.S)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.ALL).create(db.client());
        String target = TestTables.uniqueName("provisioned");

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--create-table",
                "--billing-mode", "provisioned:7,3", "--source", db.env(), "--target", other.env());

        assertThat(result.exitCode()).as("%s", result).isZero();
        TableDescription created = describe(other.client(), target);
        assertThat(created.provisionedThroughput().readCapacityUnits()).isEqualTo(7);
        assertThat(created.provisionedThroughput().writeCapacityUnits()).isEqualTo(3);
        assertThat(created.globalSecondaryIndexes().get(0).provisionedThroughput().readCapacityUnits()).isEqualTo(7);
        assertThat(CopyFixtures.itemsByKey(other.client(), target, List.of("pk"))).isEmpty();
    }

    @Test
    void refusesProvisionedWithoutCapacity_forAnOnDemandSource(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("create").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.uniqueName("provisioned");

        CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", source, "--target-table", target, "--create-table",
                "--billing-mode", "provisioned", "--source", db.env(), "--target", other.env());

        assertThat(result.stderr()).isEqualTo("dynamo: the source table '" + source + "' is on-demand, so it has no capacity to "
                + "copy: give the capacity of the new table, for example --billing-mode provisioned:5,5 (read, write units)\n");
        assertThat(other.client().listTables().tableNames()).doesNotContain(target);
    }

    @Test
    void failsClearly_whenTheTargetIsMissingAndMayNotBeCreated(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("create").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        String target = TestTables.uniqueName("missing");

        CommandResult result = Cli.isolated(home).fail(2, "copy", "-t", source, "--target-table", target,
                "--source", db.env(), "--target", other.env());

        assertThat(result.stderr()).isEqualTo("dynamo: target table '" + target + "' not found in '" + other.env()
                + "' (us-east-1); add --create-table to create it from the source's definition, or name an existing table "
                + "with --target-table\n");
        assertThat(other.client().listTables().tableNames()).doesNotContain(target);
    }

    static Stream<Arguments> keyShapes() {
        return Stream.of(
                Arguments.of("S", null),
                Arguments.of("N", null),
                Arguments.of("B", null),
                Arguments.of("S", "S"),
                Arguments.of("N", "B"),
                Arguments.of("B", "N"));
    }

    @ParameterizedTest(name = "partition key {0}, sort key {1}")
    @MethodSource("keyShapes")
    void copiesEveryKeyShape_exactly(String partitionType, String sortType, LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) {
        TestTables.Builder builder = TestTables.table("keys").partitionKey("pk", ScalarAttributeType.fromValue(partitionType));
        if (sortType != null) {
            builder.sortKey("sk", ScalarAttributeType.fromValue(sortType));
        }
        String source = builder.create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, AttributeValue> key = new HashMap<>();
            key.put("pk", keyValue(partitionType, i % 7));
            if (sortType != null) {
                key.put("sk", keyValue(sortType, i));
            } else if (i >= 7) {
                continue;
            }
            items.add(everyType(key, i));
        }
        TestTables.put(db.client(), source, items);
        String target = TestTables.uniqueName("keys-copy");

        CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--create-table",
                "--source", db.env(), "--target", other.env(), "--threads", "3", "--segments", "5", "--page-size", "4");

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> keys = sortType == null ? List.of("pk") : List.of("pk", "sk");
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, keys);
        assertThat(CopyFixtures.itemsByKey(other.client(), target, keys)).hasSize(items.size());
    }

    private static AttributeValue keyValue(String type, int i) {
        return switch (type) {
            case "S" -> s("key-" + i);
            case "N" -> n(i % 2 == 0 ? "-" + i + ".5" : "1234567890123456789012345678901234567" + i % 10);
            default -> b((byte) i, (byte) -i, (byte) 0);
        };
    }
}
