package dev.dynamo.cli;

import static dev.dynamo.cli.ExportImportRoundTripS3Test.exportId;
import static dev.dynamo.cli.ExportImportRoundTripS3Test.object;
import static dev.dynamo.cli.ExportImportSupport.KEYS;
import static dev.dynamo.cli.ExportImportSupport.assertSameItems;
import static dev.dynamo.cli.ExportImportSupport.json;
import static dev.dynamo.cli.ExportImportSupport.jsonLines;
import static dev.dynamo.cli.ExportImportSupport.md5Base64;
import static dev.dynamo.cli.ExportImportSupport.readDynamoDbJsonDataFile;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A data file too large for one PutObject, exported to S3 as a multipart upload and imported back: its manifest line
 * names S3's multipart ETag and the MD5 of the whole file. Apart from {@link ExportImportRoundTripS3Test} because it
 * moves about 13 MiB through dynalite twice.
 */
@EngineTest
class ExportImportMultipartS3Test {
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
        String table = TestTables.table("multipart-s3").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
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
        assertThat(result.stderr().lines().toList()).as("stderr of %s", result).hasSizeLessThanOrEqualTo(1)
                .allMatch(line -> line.startsWith("created table '" + table + "'"));
        return result;
    }

    @Test
    void importsAMultipartDataFileAndItsManifestNamesS3sEtag_whenADataFilePasses8MiB() {
        // 26 items of about 390 KB of random (incompressible) bytes: one data file of about 13 MiB (gzip cannot shrink
        // base64 of random bytes below 3/4), so more than one 8 MiB part.
        Random random = new Random(16);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            byte[] bytes = new byte[ExportImportSupport.BIG_ITEM_CHARS];
            random.nextBytes(bytes);
            items.add(Map.of("pk", s("big" + i % 3), "sk", n(String.valueOf(i)), "noise", AttributeValue.fromB(SdkBytes.fromByteArray(bytes)),
                    "n", n("1.50")));
        }
        String source = sourceWith(items);
        Map<String, Map<String, AttributeValue>> written = itemsOf(db.client(), source);
        String bucket = S3Server.createBucket("roundtrip-multipart");

        JsonNode exported = json(export(source, "s3://" + bucket + "/big", "--segments", "1").stdout());
        String target = TestTables.uniqueName("roundtrip-s3-multipart");
        JsonNode imported = json(importInto(target, "s3://" + bucket + "/big", "--create-table").stdout());

        String id = exportId(bucket, "big");
        List<JsonNode> lines = jsonLines(object(bucket, "big/AWSDynamoDB/" + id + "/manifest-files.json"));
        assertThat(lines).hasSize(1);
        String key = lines.get(0).get("dataFileS3Key").asText();
        byte[] file = object(bucket, key);
        assertThat(file.length).as("bytes of the data file").isGreaterThan(8 << 20);
        String etag = S3Server.client().headObject(b -> b.bucket(bucket).key(key)).eTag().replace("\"", "");
        assertThat(etag).as("ETag of a multipart upload").endsWith("-2");
        assertThat(lines.get(0).get("etag").asText()).isEqualTo(etag);
        assertThat(lines.get(0).get("md5Checksum").asText()).isEqualTo(md5Base64(file));
        assertSameItems(written, Map.copyOf(byKey(readDynamoDbJsonDataFile(file))), Numbers.EXACT);
        assertSameItems(written, itemsOf(other.client(), target), Numbers.EXACT);
        assertThat(exported.get("bytes").asLong()).isEqualTo(file.length);
        assertThat(imported.get("written").asLong()).isEqualTo(26);
    }

    private static Map<String, Map<String, AttributeValue>> byKey(List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> byKey = new TreeMap<>();
        items.forEach(item -> assertThat(byKey.put(CopyFixtures.keyText(item, KEYS), item)).as("an item exported twice").isNull());
        return byKey;
    }
}
