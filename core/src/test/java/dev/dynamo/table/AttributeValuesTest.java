package dev.dynamo.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributeValuesTest {

    @Test
    void writesOneCanonicalForm_forEveryType() {
        assertThat(AttributeValues.canonical(AttributeValue.fromS("ab"))).isEqualTo("S:2\"ab\"");
        assertThat(AttributeValues.canonical(AttributeValue.fromN("1.50"))).isEqualTo("N:1.5");
        assertThat(AttributeValues.canonical(AttributeValue.fromB(bytes(0x0f, 0xa0)))).isEqualTo("B:0fa0");
        assertThat(AttributeValues.canonical(AttributeValue.fromBool(true))).isEqualTo("BOOL:true");
        assertThat(AttributeValues.canonical(AttributeValue.fromNul(true))).isEqualTo("NULL");
        assertThat(AttributeValues.canonical(AttributeValue.fromSs(List.of("b", "a")))).isEqualTo("SS[1\"a\",1\"b\"]");
        assertThat(AttributeValues.canonical(AttributeValue.fromNs(List.of("10", "2.0")))).isEqualTo("NS[1E+1,2]");
        assertThat(AttributeValues.canonical(AttributeValue.fromBs(List.of(bytes(2), bytes(1))))).isEqualTo("BS[01,02]");
        assertThat(AttributeValues.canonical(AttributeValue.fromL(List.of(AttributeValue.fromN("2"), AttributeValue.fromS("x")))))
                .isEqualTo("L[N:2,S:1\"x\"]");
        assertThat(AttributeValues.canonical(AttributeValue.fromM(Map.of("b", AttributeValue.fromN("1"), "a", AttributeValue.fromS("")))))
                .isEqualTo("M{1\"a\"=S:0\"\",1\"b\"=N:1}");
    }

    @Test
    void treatsNumbersAsEqual_whenOnlyTheirNotationDiffers() {
        assertThat(AttributeValues.same(AttributeValue.fromN("1"), AttributeValue.fromN("1.0"))).isTrue();
        assertThat(AttributeValues.same(AttributeValue.fromN("100"), AttributeValue.fromN("1E+2"))).isTrue();
        assertThat(AttributeValues.same(AttributeValue.fromN("0.00"), AttributeValue.fromN("-0"))).isTrue();
        assertThat(AttributeValues.same(AttributeValue.fromN("1"), AttributeValue.fromN("1.000000000000000000000000000000000001")))
                .isFalse();
    }

    @Test
    void treatsSetsAndMapsAsEqual_whateverTheirOrder() {
        assertThat(AttributeValues.same(AttributeValue.fromSs(List.of("a", "b")), AttributeValue.fromSs(List.of("b", "a")))).isTrue();
        assertThat(AttributeValues.same(AttributeValue.fromNs(List.of("1", "2.0")), AttributeValue.fromNs(List.of("2", "1")))).isTrue();
        Map<String, AttributeValue> ab = new LinkedHashMap<>();
        ab.put("a", AttributeValue.fromN("1"));
        ab.put("b", AttributeValue.fromN("2"));
        Map<String, AttributeValue> ba = new LinkedHashMap<>();
        ba.put("b", AttributeValue.fromN("2.0"));
        ba.put("a", AttributeValue.fromN("1"));
        assertThat(AttributeValues.same(AttributeValue.fromM(ab), AttributeValue.fromM(ba))).isTrue();
    }

    @Test
    void keepsValuesApart_whenTypeOrListOrderDiffers() {
        assertThat(AttributeValues.same(AttributeValue.fromS("1"), AttributeValue.fromN("1"))).isFalse();
        assertThat(AttributeValues.same(AttributeValue.fromSs(List.of("1")), AttributeValue.fromNs(List.of("1")))).isFalse();
        assertThat(AttributeValues.same(AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromS("b"))),
                AttributeValue.fromL(List.of(AttributeValue.fromS("b"), AttributeValue.fromS("a"))))).isFalse();
        // quoting with the length keeps a comma inside a string from looking like two elements
        assertThat(AttributeValues.canonical(AttributeValue.fromSs(List.of("a,b"))))
                .isNotEqualTo(AttributeValues.canonical(AttributeValue.fromSs(List.of("a", "b"))));
        assertThat(AttributeValues.canonical(AttributeValue.fromS("a\"")))
                .isNotEqualTo(AttributeValues.canonical(AttributeValue.fromS("a")));
    }

    @Test
    void ordersByTypeThenValue() {
        List<AttributeValue> values = new ArrayList<>(List.of(
                AttributeValue.fromM(Map.of()),
                AttributeValue.fromL(List.of()),
                AttributeValue.fromBs(List.of(bytes(1))),
                AttributeValue.fromNs(List.of("1")),
                AttributeValue.fromSs(List.of("a")),
                AttributeValue.fromB(bytes(1)),
                AttributeValue.fromS("a"),
                AttributeValue.fromN("1"),
                AttributeValue.fromBool(false),
                AttributeValue.fromNul(true)));
        values.sort(AttributeValues.ORDER);
        assertThat(values).extracting(AttributeValue::type).extracting(Enum::name)
                .containsExactly("NUL", "BOOL", "N", "S", "B", "SS", "NS", "BS", "L", "M");
    }

    @Test
    void ordersNumbersByValue_notAsText() {
        assertThat(sorted(AttributeValue.fromN("10"), AttributeValue.fromN("-10"), AttributeValue.fromN("2"),
                AttributeValue.fromN("1E+3"), AttributeValue.fromN("2.5")))
                .extracting(AttributeValue::n).containsExactly("-10", "2", "2.5", "10", "1E+3");
    }

    @Test
    void ordersStringsByCodePoint_asDynamoDbOrdersUtf8() {
        // U+FF61 is EF BD A1 in UTF-8 and sorts before the emoji (F0 ...), though its UTF-16 unit is larger.
        assertThat(sorted(AttributeValue.fromS("\uD83D\uDE00"), AttributeValue.fromS("\uFF61"), AttributeValue.fromS("b"),
                AttributeValue.fromS("B"), AttributeValue.fromS("ab"), AttributeValue.fromS("a")))
                .extracting(AttributeValue::s).containsExactly("B", "a", "ab", "b", "\uFF61", "\uD83D\uDE00");
    }

    @Test
    void ordersBinaryAsUnsignedBytes() {
        assertThat(sorted(AttributeValue.fromB(bytes(0x80)), AttributeValue.fromB(bytes(0x7f)), AttributeValue.fromB(bytes(0x7f, 0))))
                .extracting(value -> value.b().asByteArray()[0] & 0xFF, value -> value.b().asByteArray().length)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0x7f, 1), org.assertj.core.groups.Tuple.tuple(0x7f, 2),
                        org.assertj.core.groups.Tuple.tuple(0x80, 1));
    }

    @Test
    void ordersFalseBeforeTrue() {
        assertThat(sorted(AttributeValue.fromBool(true), AttributeValue.fromBool(false)))
                .extracting(AttributeValue::bool).containsExactly(false, true);
    }

    @Test
    void ordersSetsByTheirSortedElements() {
        assertThat(sorted(AttributeValue.fromSs(List.of("red")), AttributeValue.fromSs(List.of("green", "blue")),
                AttributeValue.fromSs(List.of("blue"))))
                .extracting(AttributeValue::ss).containsExactly(List.of("blue"), List.of("green", "blue"), List.of("red"));
        assertThat(sorted(AttributeValue.fromNs(List.of("10")), AttributeValue.fromNs(List.of("9", "100"))))
                .extracting(AttributeValue::ns).containsExactly(List.of("9", "100"), List.of("10"));
        assertThat(sorted(AttributeValue.fromBs(List.of(bytes(0x80))), AttributeValue.fromBs(List.of(bytes(0x7f), bytes(0x90)))))
                .extracting(value -> value.bs().size()).containsExactly(2, 1);
    }

    @Test
    void ordersListsElementByElement_andMapsEntryByEntry() {
        AttributeValue shortList = AttributeValue.fromL(List.of(AttributeValue.fromN("2")));
        AttributeValue longList = AttributeValue.fromL(List.of(AttributeValue.fromN("2"), AttributeValue.fromS("a")));
        AttributeValue bigList = AttributeValue.fromL(List.of(AttributeValue.fromN("10")));
        assertThat(sorted(bigList, longList, shortList)).containsExactly(shortList, longList, bigList);

        AttributeValue cityBerlin = AttributeValue.fromM(Map.of("city", AttributeValue.fromS("Berlin"), "zip", AttributeValue.fromS("1")));
        AttributeValue cityParis = AttributeValue.fromM(Map.of("city", AttributeValue.fromS("Paris")));
        AttributeValue area = AttributeValue.fromM(Map.of("area", AttributeValue.fromS("Z")));
        assertThat(sorted(cityParis, cityBerlin, area)).containsExactly(area, cityBerlin, cityParis);
    }

    private static List<AttributeValue> sorted(AttributeValue... values) {
        List<AttributeValue> list = new ArrayList<>(List.of(values));
        list.sort(AttributeValues.ORDER);
        return list;
    }

    static SdkBytes bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return SdkBytes.fromByteArray(bytes);
    }
}
