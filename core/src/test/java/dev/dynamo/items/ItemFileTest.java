package dev.dynamo.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.copy.DeadLetterFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemFileTest {
    @TempDir
    Path dir;

    static Map<String, AttributeValue> everyType(String pk) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("s", AttributeValue.fromS("héllo \"world\"\n\u2603 \uD83D\uDE00"));
        item.put("empty", AttributeValue.fromS(""));
        item.put("n38", AttributeValue.fromN("12345678901234567890123456789012345678"));
        item.put("nsmall", AttributeValue.fromN("-0.000000000000000000000000000000000000012345"));
        item.put("nexp", AttributeValue.fromN("1E+125"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, -1, 127, -128, 10})));
        item.put("emptyB", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
        item.put("yes", AttributeValue.fromBool(true));
        item.put("no", AttributeValue.fromBool(false));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("ss", AttributeValue.fromSs(List.of("b", "a", "")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "1.5", "-99999999999999999999999999999999999999")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2, 3}))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromN("2"), AttributeValue.fromL(List.of()),
                AttributeValue.fromM(Map.of()))));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("7")))),
                "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")))));
        return item;
    }

    @Test
    void readsBackEveryTypeExactly_fromAGzipFile() {
        Path file = dir.resolve("backup.jsonl.gz");
        List<Map<String, AttributeValue>> items = List.of(everyType("a"), everyType("b"), Map.of("pk", AttributeValue.fromS("c")));
        try (ItemFileWriter writer = ItemFileWriter.create(file, List.of("pk"))) {
            items.forEach(writer::write);
            assertThat(writer.commit()).isEqualTo(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(Files.exists(dir.resolve("backup.jsonl.gz.partial"))).isFalse();
        // AttributeValue.equals compares every type and value exactly (numbers as their digits).
        assertThat(ItemFileReader.readAll(file)).isEqualTo(items);
    }

    @Test
    void writesOneItemPerLine_inTheShapeOfDynamoDbsExportToS3() throws IOException {
        Path file = dir.resolve("one.jsonl.gz");
        try (ItemFileWriter writer = ItemFileWriter.create(file, List.of("pk", "sk"))) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("total", AttributeValue.fromN("12.50"));
            item.put("sk", AttributeValue.fromN("7"));
            item.put("pk", AttributeValue.fromS("customer#42"));
            item.put("tags", AttributeValue.fromSs(List.of("a", "b")));
            writer.write(item);
            writer.commit();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"Item\":{\"pk\":{\"S\":\"customer#42\"},\"sk\":{\"N\":\"7\"},\"tags\":{\"SS\":[\"a\",\"b\"]},\"total\":{\"N\":\"12.50\"}}}\n");
        }
    }

    @Test
    void leavesOnlyAPartialFile_whenNotCommitted() throws IOException {
        Path file = dir.resolve("unfinished.jsonl.gz");
        try (ItemFileWriter writer = ItemFileWriter.create(file, List.of("pk"))) {
            writer.write(everyType("a"));
        }
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(dir.resolve("unfinished.jsonl.gz.partial"))).isTrue();
    }

    @Test
    void readsPlainDeadLetterFiles_skippingFailedDeletes() {
        Path file = dir.resolve("failed.jsonl");
        try (DeadLetterFile deadLetters = new DeadLetterFile(file, List.of("pk"))) {
            deadLetters.append(DeadLetterFile.Operation.PUT, everyType("a"), "ValidationException: Type mismatch for Index Key");
            deadLetters.append(DeadLetterFile.Operation.DELETE, Map.of("pk", AttributeValue.fromS("b")), "ThrottlingException");
            assertThat(deadLetters.count()).isEqualTo(2);
        }
        assertThat(ItemFileReader.readAll(file)).containsExactly(everyType("a"));
    }

    @Test
    void namesFileAndLine_ofAMalformedLine() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n{\"Item\":{\"n\":{\"N\":12}}}\n");
        assertThatThrownBy(() -> ItemFileReader.readAll(file))
                .isInstanceOf(DynamoException.class)
                .hasMessage(file + " line 2: Item.n: expected a string");
    }
}
