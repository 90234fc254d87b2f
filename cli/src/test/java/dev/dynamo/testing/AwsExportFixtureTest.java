package dev.dynamo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.AwsExportFixture.Change;
import dev.dynamo.testing.AwsExportFixture.Format;
import dev.dynamo.testing.AwsExportFixture.Type;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The fixture's exports, checked with plain Java against what AWS's exports look like (no dynamo code reads them). */
class AwsExportFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EXPORT_TIME = Instant.parse("2024-01-02T03:04:05.678Z");

    @TempDir
    Path temp;

    @Test
    void writesFullExportLayout_whenDynamoDbJsonInSeveralFiles() throws Exception {
        List<Map<String, AttributeValue>> items = items(7);

        Path export = AwsExportFixture.builder(temp.resolve("bucket")).format(Format.DYNAMODB_JSON).type(Type.FULL_EXPORT)
                .files(3).items(items).s3Prefix("my/prefix").exportTime(EXPORT_TIME).write();

        assertThat(export.getParent()).isEqualTo(temp.resolve("bucket").resolve("AWSDynamoDB"));
        assertThat(export.getFileName().toString()).matches("01704164645678-[0-9a-f]{8}");
        assertThat(export.resolve("_started")).isEmptyFile();
        List<String> lines = checkManifests(export, "my/prefix", 3, 7);
        assertThat(lines).hasSize(7).allMatch(line -> line.startsWith("{\"Item\":{"));
        assertThat(lines).anyMatch(line -> line.contains("\"pk\":{\"S\":\"item-6\"}"));
        JsonNode summary = JSON.readTree(export.resolve("manifest-summary.json").toFile());
        assertThat(summary.get("version").asText()).isEqualTo("2020-06-30");
        assertThat(summary.get("exportTime").asText()).isEqualTo("2024-01-02T03:04:05.678Z");
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(summary.get("s3Prefix").asText()).isEqualTo("my/prefix");
        assertThat(summary.get("exportArn").asText()).endsWith("/export/" + export.getFileName());
        assertThat(summary.has("exportType")).isFalse();
        assertThat(Files.getPosixFilePermissions(export.resolve("manifest-files.json"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void writesEveryAttributeTypeInDocumentedMapping_whenIon() throws Exception {
        Path export = AwsExportFixture.builder(temp.resolve("bucket")).format(Format.ION).type(Type.FULL_EXPORT)
                .files(2).items(List.of(everyType(), Map.of("pk", AttributeValue.fromS("plain")))).write();

        List<String> lines = checkManifests(export, null, 2, 2);
        assertThat(lines).allMatch(line -> line.startsWith("$ion_1_0 {Item:{"));
        String line = lines.stream().filter(text -> text.contains("quote")).findFirst().orElseThrow();
        assertThat(line).contains(
                "big:12345678901234567890123456789012345678.",
                "tiny:1d-130",
                "huge:99999999999999999999999999999999999999d88",
                "hundreds:6d2",
                "half:0.5",
                "emptyString:\"\"",
                "emptyBinary:{{}}",
                "binary:{{AAEC/w==}}",
                "flag:true",
                "nothing:null",
                "nested:{inner:[1.,\"x\",{deep:false}]}",
                "'odd name':\"y\"",
                "strings:$dynamodb_SS::[\"a\",\"b\"]",
                "numbers:$dynamodb_NS::[1.,2.5]",
                "binaries:$dynamodb_BS::[{{AQ==}},{{Ag==}}]",
                "quote:\"say \\\"hi\\\"\\n\\\\ \\x01 é\"");
        JsonNode summary = JSON.readTree(export.resolve("manifest-summary.json").toFile());
        assertThat(summary.get("outputFormat").asText()).isEqualTo("ION");
        assertThat(summary.get("s3Prefix").isNull()).isTrue();
    }

    @Test
    void writesIncrementalExportInSharedDataFolder_whenDynamoDbJson() throws Exception {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k1"));
        List<Change> changes = List.of(
                new Change(key, Map.of("pk", AttributeValue.fromS("k1"), "v", AttributeValue.fromN("2")),
                        Map.of("pk", AttributeValue.fromS("k1"), "v", AttributeValue.fromN("1")), 1_700_000_000_000_001L),
                new Change(Map.of("pk", AttributeValue.fromS("k2")), null,
                        Map.of("pk", AttributeValue.fromS("k2")), 1_700_000_000_000_002L),
                new Change(Map.of("pk", AttributeValue.fromS("k3")), Map.of("pk", AttributeValue.fromS("k3")), null,
                        1_700_000_000_000_003L));

        Path export = AwsExportFixture.builder(temp.resolve("bucket")).format(Format.DYNAMODB_JSON)
                .type(Type.INCREMENTAL_EXPORT).files(2).changes(changes).exportTime(EXPORT_TIME).write();

        List<String> lines = checkManifests(export, null, 2, 3);
        assertThat(lines).containsExactlyInAnyOrder(
                "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1700000000000001\"}},\"Keys\":{\"pk\":{\"S\":\"k1\"}},"
                        + "\"OldImage\":{\"pk\":{\"S\":\"k1\"},\"v\":{\"N\":\"1\"}},\"NewImage\":{\"pk\":{\"S\":\"k1\"},\"v\":{\"N\":\"2\"}}}",
                "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1700000000000002\"}},\"Keys\":{\"pk\":{\"S\":\"k2\"}},"
                        + "\"OldImage\":{\"pk\":{\"S\":\"k2\"}}}",
                "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1700000000000003\"}},\"Keys\":{\"pk\":{\"S\":\"k3\"}},"
                        + "\"NewImage\":{\"pk\":{\"S\":\"k3\"}}}");
        assertThat(export.resolve("data")).doesNotExist();
        JsonNode summary = JSON.readTree(export.resolve("manifest-summary.json").toFile());
        assertThat(summary.get("version").asText()).isEqualTo("2023-08-01");
        assertThat(summary.get("exportType").asText()).isEqualTo("INCREMENTAL_EXPORT");
        assertThat(summary.get("outputView").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(summary.get("exportFromTime").asText()).isEqualTo("2024-01-02T02:49:05.678Z");
        assertThat(summary.get("exportToTime").asText()).isEqualTo("2024-01-02T03:04:05.678Z");
        assertThat(summary.has("exportTime")).isFalse();
    }

    @Test
    void writesIncrementalRecords_whenIonWithNewImageView() throws Exception {
        List<Change> changes = List.of(new Change(Map.of("pk", AttributeValue.fromS("k1")),
                Map.of("pk", AttributeValue.fromS("k1"), "n", AttributeValue.fromN("2000")),
                Map.of("pk", AttributeValue.fromS("k1")), 1_700_000_000_000_000L));

        Path export = AwsExportFixture.builder(temp.resolve("bucket")).format(Format.ION).type(Type.INCREMENTAL_EXPORT)
                .files(3).changes(changes).viewType("NEW_IMAGE").s3Prefix("p").write();

        assertThat(checkManifests(export, "p", 3, 1)).containsExactly(
                "$ion_1_0 {Metadata:{WriteTimestampMicros:1700000000000000.},Keys:{pk:\"k1\"},NewImage:{n:2d3,pk:\"k1\"}}");
        assertThat(JSON.readTree(export.resolve("manifest-summary.json").toFile()).get("outputView").asText()).isEqualTo("NEW_IMAGE");
    }

    @Test
    void writesUncompressedFilesAndBothChecksumNames_whenPlain() throws Exception {
        Path export = AwsExportFixture.builder(temp.resolve("bucket")).format(Format.ION).files(2).items(items(3))
                .plain(true).checksumFiles("both").ionIntegers(true).write();

        List<String> lines = checkManifests(export, null, 2, 3);
        assertThat(lines).anyMatch(line -> line.contains("n:1000,"));
        assertThat(export.resolve("manifest-files.checksum")).hasSameTextualContentAs(export.resolve("manifest-files.md5"));
        try (var files = Files.list(export.resolve("data"))) {
            assertThat(files).allMatch(file -> file.toString().endsWith(".ion"));
        }
    }

    @Test
    void failsWithScriptMessage_whenExportIdExists() throws Exception {
        AwsExportFixture.builder(temp.resolve("bucket")).exportId("01700000000000-0000abcd").items(items(1)).write();

        assertThatThrownBy(() -> AwsExportFixture.builder(temp.resolve("bucket")).exportId("01700000000000-0000abcd")
                .items(items(1)).write())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited 2")
                .hasMessageContaining("exists already");
    }

    /**
     * Checks what an importer relies on and returns every data line: the manifests, their .md5 files, each data
     * file's MD5 (base64) and S3 ETag (one-part multipart: hex MD5 of the MD5, "-1"), its item count and key.
     */
    private static List<String> checkManifests(Path export, String prefix, int files, int records) throws IOException {
        String id = export.getFileName().toString();
        String keyPrefix = (prefix == null ? "" : prefix + "/") + "AWSDynamoDB/";
        Path awsDynamoDb = export.getParent();
        byte[] manifestFiles = Files.readAllBytes(export.resolve("manifest-files.json"));
        byte[] manifestSummary = Files.readAllBytes(export.resolve("manifest-summary.json"));
        assertThat(export.resolve("manifest-files.md5")).hasContent(base64Md5(manifestFiles));
        assertThat(export.resolve("manifest-summary.md5")).hasContent(base64Md5(manifestSummary));
        JsonNode summary = JSON.readTree(manifestSummary);
        assertThat(summary.get("manifestFilesS3Key").asText()).isEqualTo(keyPrefix + id + "/manifest-files.json");
        assertThat(summary.get("itemCount").asLong()).isEqualTo(records);

        String[] entries = new String(manifestFiles, StandardCharsets.UTF_8).split("\n");
        assertThat(entries).hasSize(files);
        List<String> lines = new ArrayList<>();
        long itemCount = 0;
        for (String entry : entries) {
            JsonNode file = JSON.readTree(entry);
            String key = file.get("dataFileS3Key").asText();
            assertThat(key).startsWith(keyPrefix).matches(".*/data/[a-z2-7]{26}\\.(json|ion)(\\.gz)?");
            Path data = awsDynamoDb.resolve(key.substring(keyPrefix.length()));
            byte[] stored = Files.readAllBytes(data);
            byte[] md5 = md5(stored);
            assertThat(file.get("md5Checksum").asText()).isEqualTo(Base64.getEncoder().encodeToString(md5));
            assertThat(file.get("etag").asText()).isEqualTo(HexFormat.of().formatHex(md5(md5)) + "-1");
            String text = key.endsWith(".gz") ? gunzip(stored) : new String(stored, StandardCharsets.UTF_8);
            List<String> fileLines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
            assertThat(text.isEmpty() || text.endsWith("\n")).isTrue();
            assertThat(file.get("itemCount").asLong()).isEqualTo(fileLines.size());
            itemCount += file.get("itemCount").asLong();
            lines.addAll(fileLines);
        }
        assertThat(itemCount).isEqualTo(summary.get("itemCount").asLong());
        assertThat(lines).hasSize(records);
        return lines;
    }

    private static List<Map<String, AttributeValue>> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> Map.of("pk", AttributeValue.fromS("item-" + i),
                "n", AttributeValue.fromN("1000"), "z", AttributeValue.fromBool(true))).toList();
    }

    private static Map<String, AttributeValue> everyType() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("every-type"));
        item.put("big", AttributeValue.fromN("12345678901234567890123456789012345678"));
        item.put("tiny", AttributeValue.fromN("1E-130"));
        item.put("huge", AttributeValue.fromN("9.9999999999999999999999999999999999999E+125"));
        item.put("hundreds", AttributeValue.fromN("600"));
        item.put("half", AttributeValue.fromN("0.5"));
        item.put("emptyString", AttributeValue.fromS(""));
        item.put("emptyBinary", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
        item.put("binary", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff})));
        item.put("flag", AttributeValue.fromBool(true));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("nested", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(AttributeValue.fromN("1"),
                AttributeValue.fromS("x"), AttributeValue.fromM(Map.of("deep", AttributeValue.fromBool(false))))))));
        item.put("odd name", AttributeValue.fromS("y"));
        item.put("strings", AttributeValue.fromSs(List.of("a", "b")));
        item.put("numbers", AttributeValue.fromNs(List.of("1", "2.50")));
        item.put("binaries", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2}))));
        item.put("quote", AttributeValue.fromS("say \"hi\"\n\\ \u0001 é"));
        return item;
    }

    private static String base64Md5(byte[] bytes) {
        return Base64.getEncoder().encodeToString(md5(bytes));
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
