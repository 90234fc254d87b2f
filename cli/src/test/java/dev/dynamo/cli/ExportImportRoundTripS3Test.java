package dev.dynamo.cli;

import static dev.dynamo.cli.ExportImportSupport.KEYS;
import static dev.dynamo.cli.ExportImportSupport.assertSameItems;
import static dev.dynamo.cli.ExportImportSupport.edgeItems;
import static dev.dynamo.cli.ExportImportSupport.json;
import static dev.dynamo.cli.ExportImportSupport.jsonLines;
import static dev.dynamo.cli.ExportImportSupport.md5Base64;
import static dev.dynamo.cli.ExportImportSupport.readDynamoDbJsonDataFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynamo.cli.ExportImportSupport.Numbers;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.S3Server;
import dev.dynamo.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code dynamo export --to s3://bucket/prefix} and {@code dynamo import --from s3://bucket/prefix --create-table} on an
 * in-process S3 server ({@link S3Server}): every attribute type round-trips (DynamoDB JSON with exact digits, Ion by
 * value), the objects have the layout of DynamoDB's Export to S3 with the prefix in every key the manifests name, and a
 * dry run writes no object.
 */
@EngineTest
class ExportImportRoundTripS3Test {
    @TempDir
    Path home;

    private LocalDynamoDb db;
    private LocalDynamoDb other;

    @BeforeEach
    void servers(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
    }

    private String sourceWith(List<Map<String, AttributeValue>> items) {
        String table = TestTables.table("roundtrip-s3").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY).create(db.client());
        CopyFixtures.putParallel(db.client(), table, items);
        return table;
    }

    private Map<String, Map<String, AttributeValue>> itemsOf(DynamoDbClient client, String table) {
        return CopyFixtures.itemsByKey(client, table, KEYS);
    }

    private CommandResult export(String table, String destination, String... more) {
        List<String> args = new ArrayList<>(List.of("export", "-t", table, "-e", db.env(), "--to", destination, "--summary", "json",
                "--s3-endpoint-url", S3Server.endpoint().toString()));
        args.addAll(List.of(more));
        return Cli.isolated(home).succeed(args.toArray(String[]::new));
    }

    private CommandResult importInto(String table, String source, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "-t", table, "-e", other.env(), "--from", source, "--summary", "json",
                "--s3-endpoint-url", S3Server.endpoint().toString(), "--backup-dir", home.resolve("backups").toString()));
        args.addAll(List.of(more));
        CommandResult result = Cli.isolated(home).run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        // A table it creates is named on stderr; nothing else is (the summary is on stdout).
        assertThat(result.stderr().lines().toList()).as("stderr of %s", result).hasSizeLessThanOrEqualTo(1)
                .allMatch(line -> line.startsWith("created table '" + table + "'"));
        return result;
    }

    static List<String> keys(String bucket) {
        return S3Server.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    static byte[] object(String bucket, String key) {
        return S3Server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** The one export's id under {@code bucket/prefix/AWSDynamoDB/}. */
    static String exportId(String bucket, String prefix) {
        TreeSet<String> ids = new TreeSet<>();
        for (String key : keys(bucket)) {
            assertThat(key).as("every object is under the prefix").startsWith(prefix + "/AWSDynamoDB/");
            ids.add(key.substring((prefix + "/AWSDynamoDB/").length()).split("/")[0]);
        }
        assertThat(ids).as("exports in %s", bucket).hasSize(1);
        return ids.first();
    }

    @Test
    void importsEveryAttributeTypeWithExactDigits_fromADynamoDbJsonExportToS3() {
        String source = sourceWith(edgeItems(50));
        Map<String, Map<String, AttributeValue>> written = itemsOf(db.client(), source);
        String bucket = S3Server.createBucket("roundtrip-json");

        JsonNode exported = json(export(source, "s3://" + bucket + "/backups/daily", "--format", "ddb-json", "--segments", "4").stdout());
        String target = TestTables.uniqueName("roundtrip-s3-json");
        JsonNode imported = json(importInto(target, "s3://" + bucket + "/backups/daily", "--create-table").stdout());

        String id = exportId(bucket, "backups/daily");
        Map<String, Map<String, AttributeValue>> inFiles = new TreeMap<>();
        for (JsonNode line : jsonLines(object(bucket, "backups/daily/AWSDynamoDB/" + id + "/manifest-files.json"))) {
            readDynamoDbJsonDataFile(object(bucket, line.get("dataFileS3Key").asText()))
                    .forEach(item -> assertThat(inFiles.put(CopyFixtures.keyText(item, KEYS), item)).as("an item exported twice").isNull());
        }
        assertSameItems(written, inFiles, Numbers.EXACT);
        assertSameItems(written, itemsOf(other.client(), target), Numbers.EXACT);
        assertThat(exported.get("items").asLong()).isEqualTo(50);
        assertThat(exported.get("exportId").asText()).isEqualTo(id);
        assertThat(imported.get("written").asLong()).isEqualTo(50);
        assertThat(imported.get("failed").asLong()).isZero();
        assertThat(imported.get("tableCreated").asBoolean()).isTrue();
    }

    @Test
    void importsEveryAttributeTypeByValue_fromAnIonExportToS3() {
        String source = sourceWith(edgeItems(50));
        Map<String, Map<String, AttributeValue>> written = itemsOf(db.client(), source);
        String bucket = S3Server.createBucket("roundtrip-ion");

        JsonNode exported = json(export(source, "s3://" + bucket + "/ion", "--format", "ion").stdout());
        String target = TestTables.uniqueName("roundtrip-s3-ion");
        String id = exportId(bucket, "ion");
        // This time from the export's own folder rather than the prefix holding it.
        JsonNode imported = json(importInto(target, "s3://" + bucket + "/ion/AWSDynamoDB/" + id, "--create-table").stdout());

        assertSameItems(written, itemsOf(other.client(), target), Numbers.BY_VALUE);
        assertThat(exported.get("format").asText()).isEqualTo("ION");
        assertThat(imported.get("written").asLong()).isEqualTo(50);
        assertThat(keys(bucket)).filteredOn(key -> key.contains("/data/")).isNotEmpty().allMatch(key -> key.endsWith(".ion.gz"));
    }

    @Test
    void writesDynamoDbsExportLayout_withThePrefixInEveryKeyTheManifestsName() {
        String source = sourceWith(edgeItems(30));
        String bucket = S3Server.createBucket("roundtrip-layout");

        JsonNode exported = json(export(source, "s3://" + bucket + "/a/b/", "--segments", "3").stdout());

        String id = exportId(bucket, "a/b");
        String folder = "a/b/AWSDynamoDB/" + id + "/";
        assertThat(keys(bucket)).contains(folder + "_started", folder + "manifest-summary.json", folder + "manifest-files.json",
                folder + "dynamo-table.json");
        assertThat(object(bucket, folder + "_started")).isEmpty();
        JsonNode summary = json(new String(object(bucket, folder + "manifest-summary.json"), StandardCharsets.UTF_8));
        assertThat(summary.get("itemCount").asLong()).isEqualTo(30);
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(summary.get("exportType").asText()).isEqualTo("FULL_EXPORT");
        assertThat(summary.get("s3Bucket").asText()).isEqualTo(bucket);
        assertThat(summary.get("s3Prefix").asText()).isEqualTo("a/b");
        assertThat(summary.get("manifestFilesS3Key").asText()).isEqualTo(folder + "manifest-files.json");

        List<JsonNode> lines = jsonLines(object(bucket, folder + "manifest-files.json"));
        long items = 0;
        for (JsonNode line : lines) {
            String key = line.get("dataFileS3Key").asText();
            assertThat(key).startsWith(folder + "data/").endsWith(".json.gz");
            byte[] file = object(bucket, key);
            String etag = S3Server.client().headObject(b -> b.bucket(bucket).key(key)).eTag().replace("\"", "");
            assertThat(line.get("md5Checksum").asText()).as("md5Checksum of %s", key).isEqualTo(md5Base64(file));
            assertThat(line.get("etag").asText()).as("etag of %s", key).isEqualTo(etag);
            assertThat(line.get("itemCount").asLong()).as("itemCount of %s", key).isEqualTo(readDynamoDbJsonDataFile(file).size());
            items += line.get("itemCount").asLong();
        }
        assertThat(items).isEqualTo(30);
        assertThat(keys(bucket)).filteredOn(key -> key.startsWith(folder + "data/")).as("data objects").hasSize(lines.size());
        assertThat(keys(bucket)).as("every object").hasSize(lines.size() + 4);
        assertThat(exported.get("files").asLong()).isEqualTo(lines.size());
    }

    @Test
    void exportsWhatQueryReturns_whenSelectedByPartitionKeyToS3() {
        String source = sourceWith(edgeItems(40));
        String bucket = S3Server.createBucket("roundtrip-pk");

        JsonNode exported = json(export(source, "s3://" + bucket + "/one", "--pk", "p2", "--format", "ion").stdout());
        String target = TestTables.uniqueName("roundtrip-s3-pk");
        importInto(target, "s3://" + bucket + "/one", "--create-table");

        JsonNode queried = json(Cli.isolated(home).succeed("query", "-t", source, "-e", db.env(), "--pk", "p2", "-o", "ddb").stdout());
        Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
        queried.get("Items").forEach(node -> {
            Map<String, AttributeValue> item = ExportImportSupport.item(node);
            expected.put(CopyFixtures.keyText(item, KEYS), item);
        });
        assertThat(expected).hasSize(10);
        assertSameItems(expected, itemsOf(other.client(), target), Numbers.BY_VALUE);
        assertThat(exported.get("items").asLong()).isEqualTo(10);
    }

    @Test
    void writesNoObject_whenExportToS3IsADryRun() {
        String source = sourceWith(edgeItems(10));
        String bucket = S3Server.createBucket("roundtrip-dry");

        CommandResult result = export(source, "s3://" + bucket + "/dry", "--dry-run");

        assertThat(result.stdout()).contains("nothing was read or written");
        assertThat(keys(bucket)).as("objects after a dry run").isEmpty();
    }
}
