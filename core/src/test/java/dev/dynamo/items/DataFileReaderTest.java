package dev.dynamo.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.DynamoException;
import dev.dynamo.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DataFileReaderTest {
    private static final String NAME = "s3://bucket/p/AWSDynamoDB/01234567890123-a1b2c3d4/data/abc.gz";

    // The example item of AWS's "DynamoDB table export output format" page, in both formats, each on its one line.
    static final String AWS_JSON_ITEM = "{\"Item\":{\"Authors\":{\"SS\":[\"Author1\",\"Author2\"]},\"Dimensions\":{\"S\":\"8.5 x 11.0 x 1.5\"},"
            + "\"ISBN\":{\"S\":\"333-3333333333\"},\"Id\":{\"N\":\"103\"},\"InPublication\":{\"BOOL\":false},\"PageCount\":{\"N\":\"600\"},"
            + "\"Price\":{\"N\":\"2000\"},\"ProductCategory\":{\"S\":\"Book\"},\"Title\":{\"S\":\"Book 103 Title\"}}}";
    static final String AWS_ION_ITEM = "$ion_1_0 {Item:{Authors:$dynamodb_SS::[\"Author1\",\"Author2\"],Dimensions:\"8.5 x 11.0 x 1.5\","
            + "ISBN:\"333-3333333333\",Id:103.,InPublication:false,PageCount:6d2,Price:2d3,ProductCategory:\"Book\",Title:\"Book 103 Title\"}}";

    // The shapes of an incremental export's lines (NEW_AND_OLD_IMAGES): an update, an insert, a delete; and a NEW_IMAGE delete.
    static final String JSON_INCREMENTAL = """
            {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000000"}},"Keys":{"PK":{"S":"CUST#100"}},\
            "OldImage":{"PK":{"S":"CUST#100"},"LastName":{"S":"Don"}},"NewImage":{"PK":{"S":"CUST#100"},"LastName":{"S":"Smith"}}}
            {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000001"}},"Keys":{"PK":{"S":"CUST#200"}},\
            "NewImage":{"PK":{"S":"CUST#200"},"Total":{"N":"12.50"}}}
            {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000002"}},"Keys":{"PK":{"S":"CUST#300"}},\
            "OldImage":{"PK":{"S":"CUST#300"},"Total":{"N":"1"}}}
            {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000003"}},"Keys":{"PK":{"S":"CUST#400"}}}
            """;
    static final String ION_INCREMENTAL = """
            $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000000},Keys:{PK:"CUST#100"},\
            OldImage:{PK:"CUST#100",LastName:"Don"},NewImage:{PK:"CUST#100",LastName:"Smith"}}
            $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000001},Keys:{PK:"CUST#200"},NewImage:{PK:"CUST#200",Total:12.50}}
            $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000002},Keys:{PK:"CUST#300"},OldImage:{PK:"CUST#300",Total:1.}}
            $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000003},Keys:{PK:"CUST#400"}}
            """;

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    private static AttributeValue n(String text) {
        return AttributeValue.fromN(text);
    }

    static List<ExportRecord> readAll(byte[] bytes, ExportFormat format) {
        List<ExportRecord> records = new ArrayList<>();
        try (DataFileReader reader = DataFileReader.open(new ByteArrayInputStream(bytes), NAME, format)) {
            for (ExportRecord record; (record = reader.next()) != null; ) {
                records.add(record);
            }
        }
        return records;
    }

    static List<ExportRecord> readAll(String text, ExportFormat format) {
        return readAll(text.getBytes(StandardCharsets.UTF_8), format);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    @Test
    void readsAwsExampleItem_inBothFormats_asTheSameItem() {
        List<ExportRecord> json = readAll(AWS_JSON_ITEM + "\n", ExportFormat.DYNAMODB_JSON);
        List<ExportRecord> ion = readAll(AWS_ION_ITEM + "\n", ExportFormat.ION);
        assertThat(json).hasSize(1);
        Map<String, AttributeValue> item = json.get(0).item();
        assertThat(item).containsEntry("Authors", AttributeValue.fromSs(List.of("Author1", "Author2")))
                .containsEntry("Id", n("103")).containsEntry("PageCount", n("600")).containsEntry("Price", n("2000"))
                .containsEntry("InPublication", AttributeValue.fromBool(false)).containsEntry("Title", s("Book 103 Title"))
                .hasSize(9);
        assertThat(json.get(0)).isEqualTo(ExportRecord.put(item));
        // 6d2 is "600" and 2d3 is "2000", as the JSON example has them.
        assertThat(ion).containsExactly(ExportRecord.put(item));
    }

    @Test
    void readsIonInts_typedNulls_andLinesWithoutAVersionMarker() {
        List<ExportRecord> records = readAll("""
                {Item:{Id:103,Ns:$dynamodb_NS::[1,2.50,-7],Zero:-0.,A:null,B:null.string,C:null.struct,D:null.list}}
                $ion_1_0 $ion_1_0 {Item:{Id:104, /* a comment */ Big:123456789012345678901234567890123456789}}
                """, ExportFormat.ION);
        assertThat(records).extracting(ExportRecord::item).containsExactly(
                Map.of("Id", n("103"), "Ns", AttributeValue.fromNs(List.of("1", "2.50", "-7")), "Zero", n("0"),
                        "A", AttributeValue.fromNul(true), "B", AttributeValue.fromNul(true), "C", AttributeValue.fromNul(true),
                        "D", AttributeValue.fromNul(true)),
                Map.of("Id", n("104"), "Big", n("123456789012345678901234567890123456789")));
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void readsIncrementalLines_withTheirKeysImagesAndTimes(ExportFormat format) {
        List<ExportRecord> records = readAll(format == ExportFormat.ION ? ION_INCREMENTAL : JSON_INCREMENTAL, format);
        Map<String, AttributeValue> key100 = Map.of("PK", s("CUST#100"));
        assertThat(records).containsExactly(
                new ExportRecord(Map.of("PK", s("CUST#100"), "LastName", s("Smith")), key100,
                        Map.of("PK", s("CUST#100"), "LastName", s("Don")), 1680109764000000L),
                new ExportRecord(Map.of("PK", s("CUST#200"), "Total", n("12.50")), Map.of("PK", s("CUST#200")), null, 1680109764000001L),
                new ExportRecord(null, Map.of("PK", s("CUST#300")), Map.of("PK", s("CUST#300"), "Total", n("1")), 1680109764000002L),
                new ExportRecord(null, Map.of("PK", s("CUST#400")), null, 1680109764000003L));
        assertThat(records).extracting(ExportRecord::isDelete).containsExactly(false, false, true, true);
    }

    @Test
    void readsFullExportLines_asPutsWithoutATime() {
        ExportRecord record = readAll(AWS_JSON_ITEM, ExportFormat.DYNAMODB_JSON).get(0);
        assertThat(record.keys()).isNull();
        assertThat(record.oldImage()).isNull();
        assertThat(record.writeTimestampMicros()).isEqualTo(-1);
        assertThat(record.isDelete()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void readsTheSameRecords_fromGzipAndPlainFiles(ExportFormat format) {
        String text = (format == ExportFormat.ION ? AWS_ION_ITEM + "\n" + ION_INCREMENTAL : AWS_JSON_ITEM + "\n" + JSON_INCREMENTAL);
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        List<ExportRecord> records = readAll(plain, format);
        assertThat(records).hasSize(5);
        assertThat(readAll(gzip(plain), format)).isEqualTo(records);
        // Two gzip members one after the other (as concatenated parts are) are one file.
        byte[] half = Arrays.copyOf(plain, text.indexOf('\n') + 1);
        byte[] rest = Arrays.copyOfRange(plain, half.length, plain.length);
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.writeBytes(gzip(half));
        members.writeBytes(gzip(rest));
        assertThat(readAll(members.toByteArray(), format)).isEqualTo(records);
    }

    @Test
    void readsBackWhatIonItemWriterWrote_throughGzip() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(file); IonItemWriter writer = new IonItemWriter(gzip)) {
            writer.write(IonItemWriterTest.everyType("a"));
            writer.write(IonItemWriterTest.everyType("b"));
        }
        assertThat(readAll(file.toByteArray(), ExportFormat.ION)).extracting(ExportRecord::item)
                .containsExactly(IonItemWriterTest.everyType("a"), IonItemWriterTest.everyType("b"));
    }

    @Test
    void skipsBlankLines_countsThem_andTakesCrLfAByteOrderMarkAndNoFinalNewline() {
        String text = "\uFEFF{Item:{pk:\"a\"}}\r\n\r\n   \n\t\n$ion_1_0\n{Item:{pk:\"b\"}}";
        try (DataFileReader reader = DataFileReader.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), NAME,
                ExportFormat.ION)) {
            assertThat(reader.lineNumber()).isZero();
            assertThat(reader.next().item()).isEqualTo(Map.of("pk", s("a")));
            assertThat(reader.lineNumber()).isEqualTo(1);
            assertThat(reader.next().item()).isEqualTo(Map.of("pk", s("b")));
            assertThat(reader.lineNumber()).isEqualTo(6);
            assertThat(reader.next()).isNull();
            assertThat(reader.next()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void readsNothing_fromAnEmptyFile(ExportFormat format) {
        assertThat(readAll(new byte[0], format)).isEmpty();
        assertThat(readAll(gzip(new byte[0]), format)).isEmpty();
    }

    @Test
    void ignoresFieldsItDoesNotKnow() {
        assertThat(readAll("{\"Item\":{\"pk\":{\"S\":\"a\"}},\"Later\":{\"x\":[1,2]}}", ExportFormat.DYNAMODB_JSON))
                .containsExactly(ExportRecord.put(Map.of("pk", s("a"))));
        assertThat(readAll("{Later:(x y), Item:{pk:\"a\"}, Metadata:{Other:1}}", ExportFormat.ION))
                .containsExactly(ExportRecord.put(Map.of("pk", s("a"))));
    }

    static List<Arguments> malformedIonLines() {
        return List.of(
                Arguments.of("{Item:{pk:\"a\",n:1.5e0}}", "Item.n: Ion float 1.5 is not a DynamoDB number"),
                Arguments.of("{Item:{pk:\"a\",s:abc}}", "Item.s: symbol 'abc' is not a DynamoDB type"),
                Arguments.of("{Item:{pk:\"a\",t:2020-01-01T}}", "Item.t: Ion timestamp has no DynamoDB type"),
                Arguments.of("{Item:{pk:\"a\",c:{{\"clob\"}}}}", "Item.c: Ion clob has no DynamoDB type"),
                Arguments.of("{Item:{pk:\"a\",x:(a b)}}", "Item.x: Ion sexp has no DynamoDB type"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_XS::[\"a\"]}}", "Item.x: annotation '$dynamodb_XS' is not one of $dynamodb_SS"),
                Arguments.of("{Item:{pk:\"a\",x:color::\"red\"}}", "Item.x: annotation 'color' is not one of"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::$dynamodb_SS::[\"a\"]}}", "Item.x: a value takes at most one annotation"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::\"a\"}}", "Item.x: a $dynamodb_SS-annotated value must be a list"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::null.list}}", "Item.x: a set must not be null"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::[]}}", "Item.x: a set must not be empty"),
                Arguments.of("{Item:{pk:\"a\",m:{x:$dynamodb_BS::[]}}}", "Item.m.x: a set must not be empty"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::[\"a\",\"a\"]}}", "Item.x[1]: the set holds this value twice"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_NS::[1,1.0]}}", "Item.x[1]: the set holds this value twice"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_BS::[{{aGk=}},{{aGk=}}]}}", "Item.x[1]: the set holds this value twice"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::[\"a\",null.string]}}", "Item.x[1]: a set holds no nulls"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_NS::[\"1\"]}}", "Item.x[0]: a $dynamodb_NS set holds only decimals, not string"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_NS::[1e0]}}", "Item.x[0]: a $dynamodb_NS set holds only decimals, not float"),
                Arguments.of("{Item:{pk:\"a\",x:$dynamodb_SS::[a::\"b\"]}}", "Item.x[0]: a $dynamodb_SS set holds only strings"),
                Arguments.of("{Item:{pk:\"a\",l:[1,{y:1e0}]}}", "Item.l[1].y: Ion float"),
                Arguments.of("{Item:{pk:\"a\",pk:\"b\"}}", "Item.pk: the attribute is there twice"),
                Arguments.of("{Item:{pk:\"a\"},Item:{pk:\"b\"}}", "field Item is on the line twice"),
                Arguments.of("{Item:{pk:\"a\"", "not Ion text ("),
                Arguments.of("{\"Item\":{\"pk\":{\"S\":\"a\"}}", "not Ion text ("),
                Arguments.of("[1,2]", "expected an Ion struct such as $ion_1_0 {Item:{...}}"),
                Arguments.of("x::{Item:{pk:\"a\"}}", "expected an Ion struct such as"),
                Arguments.of("{Item:{pk:\"a\"}} {Item:{pk:\"b\"}}", "more than one Ion value on the line"),
                Arguments.of("{Item:\"a\"}", "Item: expected a struct of attributes"),
                Arguments.of("{Item:null.struct}", "Item: expected a struct of attributes"),
                Arguments.of("{Item:x::{pk:\"a\"}}", "Item: a struct of attributes takes no annotation"),
                Arguments.of("{Item:{}}", "Item has no attributes"),
                Arguments.of("{Other:{pk:\"a\"}}", "expected Item (a full export's line) or Keys (an incremental export's line)"),
                Arguments.of("{Item:{pk:\"a\"},Keys:{pk:\"a\"}}", "a line has Item (a full export) or Keys"),
                Arguments.of("{Keys:{}}", "Keys has no attributes"),
                Arguments.of("{NewImage:{pk:\"a\"}}", "an incremental export's line needs Keys"),
                Arguments.of("{Keys:{pk:\"a\"},NewImage:{pk:\"b\"}}", "NewImage.pk is not the line's Keys.pk (another value)"),
                Arguments.of("{Keys:{pk:\"a\"},OldImage:{sk:\"a\"}}", "OldImage.pk is not the line's Keys.pk (missing)"),
                Arguments.of("{Keys:{pk:\"a\"},NewImage:{pk:\"a\",n:1e0}}", "NewImage.n: Ion float"),
                Arguments.of("{Metadata:{WriteTimestampMicros:-1},Keys:{pk:\"a\"}}", "Metadata.WriteTimestampMicros '-1' is not a time"),
                Arguments.of("{Metadata:{WriteTimestampMicros:1.5},Keys:{pk:\"a\"}}", "Metadata.WriteTimestampMicros '1.5' is not a time"),
                Arguments.of("{Metadata:{WriteTimestampMicros:99999999999999999999},Keys:{pk:\"a\"}}", "is not a time in microseconds"),
                Arguments.of("{Metadata:{WriteTimestampMicros:\"1\"},Keys:{pk:\"a\"}}", "Metadata.WriteTimestampMicros must be an integer"),
                Arguments.of("{Metadata:[1],Keys:{pk:\"a\"}}", "Metadata must be a struct"));
    }

    @ParameterizedTest
    @MethodSource("malformedIonLines")
    void refusesAMalformedIonLine_namingTheFileAndLine(String line, String problem) {
        String text = "$ion_1_0 {Item:{pk:\"fine\"}}\n\n$ion_1_0 " + line + "\n$ion_1_0 {Item:{pk:\"after\"}}\n";
        assertRefused(text.getBytes(StandardCharsets.UTF_8), ExportFormat.ION, 3, problem);
    }

    static List<Arguments> malformedJsonLines() {
        return List.of(
                Arguments.of("{\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"abc\"}}}", "Item.n: 'abc' is not a number"),
                Arguments.of("{\"Item\":{\"pk\":{\"X\":\"a\"}}}", "Item.pk: unknown type 'X'"),
                Arguments.of("{\"Item\":", "not JSON ("),
                Arguments.of("$ion_1_0 {Item:{pk:\"a\"}}", "not JSON ("),
                Arguments.of("[1]", "expected a JSON object such as {\"Item\":{...}}"),
                Arguments.of("{\"Item\":{\"pk\":{\"S\":\"a\"}}}{\"Item\":{\"pk\":{\"S\":\"b\"}}}", "more than one JSON value on the line"),
                Arguments.of("{\"Item\":{\"pk\":{\"S\":\"a\"}},\"Item\":{\"pk\":{\"S\":\"b\"}}}", "not JSON (Duplicate field 'Item')"),
                Arguments.of("{\"Item\":\"a\"}", "\"Item\" must be an object of typed attributes"),
                Arguments.of("{}", "expected Item (a full export's line) or Keys"),
                Arguments.of("{\"Item\":{}}", "Item has no attributes"),
                Arguments.of("{\"NewImage\":{\"pk\":{\"S\":\"a\"}}}", "an incremental export's line needs Keys"),
                Arguments.of("{\"Item\":{\"pk\":{\"S\":\"a\"}},\"Keys\":{\"pk\":{\"S\":\"a\"}}}", "a line has Item (a full export) or Keys"),
                Arguments.of("{\"Keys\":{\"pk\":{\"S\":\"a\"}},\"NewImage\":{\"pk\":{\"S\":\"b\"}}}",
                        "NewImage.pk is not the line's Keys.pk (another value)"),
                Arguments.of("{\"Keys\":{\"pk\":{\"N\":\"1\"}},\"OldImage\":{\"pk\":{\"S\":\"1\"}}}",
                        "OldImage.pk is not the line's Keys.pk (another value)"),
                Arguments.of("{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"x\"}},\"Keys\":{\"pk\":{\"S\":\"a\"}}}",
                        "Metadata.WriteTimestampMicros 'x' is not a time in microseconds"),
                Arguments.of("{\"Metadata\":{\"WriteTimestampMicros\":\"1\"},\"Keys\":{\"pk\":{\"S\":\"a\"}}}",
                        "Metadata.WriteTimestampMicros must be {\"N\":\"digits\"}"),
                Arguments.of("{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1\",\"S\":\"1\"}},\"Keys\":{\"pk\":{\"S\":\"a\"}}}",
                        "Metadata.WriteTimestampMicros must be {\"N\":\"digits\"}"),
                Arguments.of("{\"Metadata\":1,\"Keys\":{\"pk\":{\"S\":\"a\"}}}", "\"Metadata\" must be an object"));
    }

    @ParameterizedTest
    @MethodSource("malformedJsonLines")
    void refusesAMalformedJsonLine_namingTheFileAndLine(String line, String problem) {
        String text = "{\"Item\":{\"pk\":{\"S\":\"fine\"}}}\n\n" + line + "\n{\"Item\":{\"pk\":{\"S\":\"after\"}}}\n";
        assertRefused(text.getBytes(StandardCharsets.UTF_8), ExportFormat.DYNAMODB_JSON, 3, problem);
        assertRefused(gzip(text.getBytes(StandardCharsets.UTF_8)), ExportFormat.DYNAMODB_JSON, 3, problem);
    }

    @Test
    void readsAJsonIncrementalTime_writtenAsAPlainNumber() {
        assertThat(readAll("{\"Metadata\":{\"WriteTimestampMicros\":1680109764000000},\"Keys\":{\"pk\":{\"S\":\"a\"}}}",
                ExportFormat.DYNAMODB_JSON)).containsExactly(new ExportRecord(null, Map.of("pk", s("a")), null, 1680109764000000L));
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void refusesBytesThatAreNotUtf8_ratherThanReplacingThem(ExportFormat format) {
        byte[] line = (format == ExportFormat.ION ? "{Item:{pk:\"a?\"}}\n" : "{\"Item\":{\"pk\":{\"S\":\"a?\"}}}\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = line.clone();
        bytes[new String(line, StandardCharsets.US_ASCII).indexOf('?')] = (byte) 0xff;
        assertRefused(bytes, format, 1, "not UTF-8 text");
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void refusesAGzipFileCutShort_ratherThanEndingQuietly(ExportFormat format) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append(format == ExportFormat.ION ? "{Item:{pk:\"item " + i + "\"}}\n" : "{\"Item\":{\"pk\":{\"S\":\"item " + i + "\"}}}\n");
        }
        byte[] whole = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        byte[] cut = Arrays.copyOf(whole, whole.length - 9);
        assertThatThrownBy(() -> readAll(cut, format))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(NAME + " line ")
                .hasMessageContaining("the gzip data is corrupt or cut short");
        // A wrong CRC is only seen at the end of the data: every line before it is read.
        byte[] wrongCrc = whole.clone();
        wrongCrc[whole.length - 8] ^= 0x55;
        assertThatThrownBy(() -> readAll(wrongCrc, format)).isInstanceOf(DynamoException.class)
                .hasMessage(NAME + " line 2000: the gzip data is corrupt or cut short (Corrupt GZIP trailer); the file is incomplete");
        // A damaged byte inside the data shows as a line that is not JSON or Ion (or as bad deflate data), never silently.
        byte[] damaged = whole.clone();
        damaged[whole.length / 2] ^= 0x55;
        assertThatThrownBy(() -> readAll(damaged, format))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(NAME + " line ");
    }

    @Test
    void refusesAZstdFile_naming() {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0};
        assertThatThrownBy(() -> DataFileReader.open(new ByteArrayInputStream(zstd), NAME, ExportFormat.ION))
                .isInstanceOf(DynamoException.class).hasMessage(NAME + " is zstd-compressed; dynamo reads export data files that are gzip or plain");
    }

    @Test
    void refusesALineLongerThanAnyExportLine() {
        byte[] bytes = new byte[DataFileReader.MAX_LINE_BYTES + 10];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = '\n';
        assertRefused(bytes, ExportFormat.DYNAMODB_JSON, 2, "longer than 16 MiB");
    }

    @Test
    void closesTheStream() {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        DataFileReader.open(in, NAME, ExportFormat.ION).close();
        assertThat(closed[0]).isTrue();
    }

    @Test
    void keepsBinaryBytes_exactly() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(all);
        ExportRecord record = readAll("{Item:{pk:{{" + base64 + "}}}}", ExportFormat.ION).get(0);
        assertThat(record.item().get("pk").b()).isEqualTo(SdkBytes.fromByteArray(all));
    }

    private static void assertRefused(byte[] bytes, ExportFormat format, int line, String problem) {
        assertThatThrownBy(() -> readAll(bytes, format))
                .isInstanceOfSatisfying(DynamoException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith(NAME + " line " + line + ": ")
                .hasMessageContaining(problem);
    }
}
