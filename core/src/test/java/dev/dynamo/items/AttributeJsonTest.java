package dev.dynamo.items;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributeJsonTest {
    static final String DIGITS_38 = "12345678901234567890123456789012345678";

    /** One attribute of every type, nested ones included, in no particular order. */
    static Map<String, AttributeValue> everyType() {
        Map<String, AttributeValue> nested = new LinkedHashMap<>();
        nested.put("y", AttributeValue.fromN("1"));
        nested.put("x", AttributeValue.fromL(List.of(AttributeValue.fromS(""), AttributeValue.fromM(Map.of()))));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("z", AttributeValue.fromNul(true));
        item.put("t", AttributeValue.fromBool(true));
        item.put("f", AttributeValue.fromBool(false));
        item.put("ss", AttributeValue.fromSs(List.of("b", "a")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.50")));
        item.put("bs", AttributeValue.fromBs(List.of(bytes(1), bytes(2))));
        item.put("n", AttributeValue.fromN(DIGITS_38));
        item.put("m", AttributeValue.fromM(nested));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1.50"), AttributeValue.fromS("x"))));
        item.put("e", AttributeValue.fromS(""));
        item.put("b", AttributeValue.fromB(bytes(1, 2, 0xFF)));
        item.put("pk", AttributeValue.fromS("a\"b\u00fc"));
        return item;
    }

    @Test
    void writesPlainJson_forEveryType() {
        assertThat(plainItem(everyType(), List.of("pk"))).isEqualTo("{\"pk\":\"a\\\"b\u00fc\",\"b\":\"AQL/\",\"bs\":[\"AQ==\",\"Ag==\"],"
                + "\"e\":\"\",\"f\":false,\"l\":[1.50,\"x\"],\"m\":{\"x\":[\"\",{}],\"y\":1},\"n\":" + DIGITS_38 + ","
                + "\"ns\":[1,2.50],\"ss\":[\"b\",\"a\"],\"t\":true,\"z\":null}");
    }

    @Test
    void writesTypedJson_forEveryType_asTheAwsCliDoes() {
        assertThat(typedItem(everyType(), List.of("pk"))).isEqualTo("{\"pk\":{\"S\":\"a\\\"b\u00fc\"},\"b\":{\"B\":\"AQL/\"},"
                + "\"bs\":{\"BS\":[\"AQ==\",\"Ag==\"]},\"e\":{\"S\":\"\"},\"f\":{\"BOOL\":false},"
                + "\"l\":{\"L\":[{\"N\":\"1.50\"},{\"S\":\"x\"}]},\"m\":{\"M\":{\"x\":{\"L\":[{\"S\":\"\"},{\"M\":{}}]},\"y\":{\"N\":\"1\"}}},"
                + "\"n\":{\"N\":\"" + DIGITS_38 + "\"},\"ns\":{\"NS\":[\"1\",\"2.50\"]},\"ss\":{\"SS\":[\"b\",\"a\"]},"
                + "\"t\":{\"BOOL\":true},\"z\":{\"NULL\":true}}");
    }

    @Test
    void writesKeysFirst_inTheGivenOrder_thenTheRestByName() {
        Map<String, AttributeValue> item = Map.of("a", AttributeValue.fromS("1"), "sk", AttributeValue.fromS("2"),
                "pk", AttributeValue.fromS("3"), "c", AttributeValue.fromS("4"));
        assertThat(plainItem(item, List.of("pk", "sk", "missingKey"))).isEqualTo("{\"pk\":\"3\",\"sk\":\"2\",\"a\":\"1\",\"c\":\"4\"}");
        assertThat(AttributeJson.orderedNames(item, List.of("sk"))).containsExactly("sk", "a", "c", "pk");
    }

    @Test
    void keepsNumbersDigitForDigit_andNormalisesOnlyWhatIsNotJson() {
        assertThat(plain(AttributeValue.fromN("0.10000000000000000000000000000000000001")))
                .isEqualTo("0.10000000000000000000000000000000000001");
        assertThat(plain(AttributeValue.fromN("-1E+130"))).isEqualTo("-1E+130");
        assertThat(plain(AttributeValue.fromN("1e-130"))).isEqualTo("1e-130");
        assertThat(plain(AttributeValue.fromN("+5"))).isEqualTo("5");
        assertThat(plain(AttributeValue.fromN(".5"))).isEqualTo("0.5");
        assertThat(plain(AttributeValue.fromN("007"))).isEqualTo("7");
        // typed JSON keeps the text as DynamoDB gave it
        assertThat(typed(AttributeValue.fromN(".5"))).isEqualTo("{\"N\":\".5\"}");
    }

    @Test
    void escapesStrings_asJsonRequires() {
        assertThat(plain(AttributeValue.fromS("line\nbreak\ttab \\ \u0001"))).isEqualTo("\"line\\nbreak\\ttab \\\\ \\u0001\"");
    }

    @Test
    void writesEmptyContainers() {
        assertThat(plain(AttributeValue.fromL(List.of()))).isEqualTo("[]");
        assertThat(typed(AttributeValue.fromL(List.of()))).isEqualTo("{\"L\":[]}");
        assertThat(plain(AttributeValue.fromM(Map.of()))).isEqualTo("{}");
        assertThat(typed(AttributeValue.fromM(Map.of()))).isEqualTo("{\"M\":{}}");
    }

    static SdkBytes bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return SdkBytes.fromByteArray(bytes);
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static String json(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String plainItem(Map<String, AttributeValue> item, List<String> keys) {
        return json(json -> AttributeJson.writePlainItem(json, item, keys));
    }

    static String typedItem(Map<String, AttributeValue> item, List<String> keys) {
        return json(json -> DynamoJson.writeItem(json, item, keys));
    }

    static String plain(AttributeValue value) {
        return json(json -> AttributeJson.writePlain(json, value));
    }

    static String typed(AttributeValue value) {
        return json(json -> DynamoJson.writeValue(json, value));
    }
}
