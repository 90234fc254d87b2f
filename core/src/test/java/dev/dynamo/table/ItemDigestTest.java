package dev.dynamo.table;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The canonical digest: equal exactly when DynamoDB sees equal items; and where two items differ. */
class ItemDigestTest {
    private final ItemDigest digest = ItemDigest.create();

    private static Map<String, AttributeValue> item() {
        return everyType(Map.of("pk", s("a"), "sk", n("1")), 3);
    }

    /** The item, changed by {@code change} (on a mutable deep copy of its top level). */
    private static Map<String, AttributeValue> changed(Consumer<Map<String, AttributeValue>> change) {
        Map<String, AttributeValue> item = new HashMap<>(item());
        change.accept(item);
        return item;
    }

    private boolean same(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        return Arrays.equals(digest.digest(a), digest.digest(b));
    }

    @Test
    void isEqual_forTheSameItemInAnyOrder_withNumbersByValue_andSetsInAnyOrder() {
        Map<String, AttributeValue> reordered = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(item().keySet());
        Collections.reverse(names);
        names.forEach(name -> reordered.put(name, item().get(name)));
        assertThat(digest.digest(item())).hasSize(16);
        assertThat(same(item(), reordered)).isTrue();

        assertThat(same(Map.of("n", n("1")), Map.of("n", n("1.0")))).isTrue();
        assertThat(same(Map.of("n", n("1.50")), Map.of("n", n("15E-1")))).isTrue();
        assertThat(same(Map.of("n", n("100")), Map.of("n", n("1E+2")))).isTrue();
        assertThat(same(Map.of("n", n("0")), Map.of("n", n("-0.000")))).isTrue();
        // Engines spell numbers their own way: dynalite answers 1E-130 with 130 zeros, and 9.99…E+125 with its 126 digits.
        assertThat(same(Map.of("n", n("1E-130")), Map.of("n", n("0." + "0".repeat(129) + "1")))).isTrue();
        assertThat(same(Map.of("n", n("9.9999999999999999999999999999999999999E+125")),
                Map.of("n", n("9".repeat(38) + "0".repeat(88))))).isTrue();
        assertThat(same(Map.of("n", n("1E-130")), Map.of("n", n("1.0000000000000000000000000000000000001E-130")))).isFalse();
        assertThat(same(Map.of("ns", AttributeValue.fromNs(List.of("1", "2.0"))), Map.of("ns", AttributeValue.fromNs(List.of("2", "1.00")))))
                .isTrue();
        assertThat(same(Map.of("ss", AttributeValue.fromSs(List.of("x", "y"))), Map.of("ss", AttributeValue.fromSs(List.of("y", "x")))))
                .isTrue();
        assertThat(same(Map.of("bs", AttributeValue.fromBs(List.of(bytes(1), bytes(2, 3)))),
                Map.of("bs", AttributeValue.fromBs(List.of(bytes(2, 3), bytes(1)))))).isTrue();
        assertThat(same(Map.of("m", AttributeValue.fromM(Map.of("a", n("1"), "b", s("x")))),
                Map.of("m", AttributeValue.fromM(new LinkedHashMap<>(Map.of("b", s("x"), "a", n("1.0"))))))).isTrue();
    }

    @Test
    void differs_forAnyChange_deepOrShallow() {
        assertThat(same(item(), changed(item -> item.put("n38", n("12345678901234567890123456789012345679"))))).isFalse();
        assertThat(same(item(), changed(item -> item.put("bytes", b((byte) 0, (byte) -1, (byte) 3, (byte) 126))))).isFalse();
        assertThat(same(item(), changed(item -> item.put("strings", AttributeValue.fromSs(List.of("b", "a", "", "s4")))))).isFalse();
        assertThat(same(item(), changed(item -> item.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of(
                "deep", AttributeValue.fromNs(List.of("8")), "empty", s(""))), "when", n("3"))))))).isFalse();
        assertThat(same(item(), changed(item -> item.remove("nothing")))).isFalse();
        assertThat(same(item(), changed(item -> item.put("extra", s(""))))).isFalse();
        assertThat(same(item(), changed(item -> item.put("flag", AttributeValue.fromBool(true))))).isFalse();
    }

    @Test
    void differs_betweenTypes_andBetweenLookalikeEncodings() {
        assertThat(same(Map.of("a", s("1")), Map.of("a", n("1")))).isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromSs(List.of("1"))), Map.of("a", AttributeValue.fromNs(List.of("1"))))).isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromSs(List.of("x"))), Map.of("a", AttributeValue.fromL(List.of(s("x")))))).isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromL(List.of(s("x"), s("y")))), Map.of("a", AttributeValue.fromL(List.of(s("y"), s("x"))))))
                .as("lists keep their order").isFalse();
        assertThat(same(Map.of("a", s("bc")), Map.of("ab", s("c")))).as("names and values cannot run into each other").isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromSs(List.of("x,y"))), Map.of("a", AttributeValue.fromSs(List.of("x", "y"))))).isFalse();
        assertThat(same(Map.of("a", s("")), Map.of("a", b()))).isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromNul(true)), Map.of("a", AttributeValue.fromBool(false)))).isFalse();
        assertThat(same(Map.of("a", AttributeValue.fromM(Map.of())), Map.of("a", AttributeValue.fromL(List.of())))).isFalse();
    }

    @Test
    void canonicalNumber_isPlainAndNormal() {
        assertThat(ItemDigest.canonicalNumber("1.500")).isEqualTo("1.5");
        assertThat(ItemDigest.canonicalNumber("1E+2")).isEqualTo("100");
        assertThat(ItemDigest.canonicalNumber("-0.0")).isEqualTo("0");
        assertThat(ItemDigest.canonicalNumber("12345678901234567890123456789012345678"))
                .isEqualTo("12345678901234567890123456789012345678");
    }

    @Test
    void differencePaths_nameNestedMapEntries_listElements_andWholeSets() {
        Map<String, AttributeValue> deep = changed(item -> {
            item.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("8")),
                    "empty", s(""))), "when", n("3"))));
            item.put("list", AttributeValue.fromL(List.of(s("x"), n("2.0"), AttributeValue.fromL(List.of()), AttributeValue.fromM(Map.of()),
                    AttributeValue.fromNul(true), b((byte) 8))));
            item.put("strings", AttributeValue.fromSs(List.of("a", "b", "", "s3", "new")));
            item.remove("flag");
            item.put("added", s("x"));
        });
        assertThat(ItemDifference.paths(item(), deep)).containsExactly("added", "flag", "list[5]", "map.inner.deep", "strings");
        assertThat(ItemDifference.paths(item(), changed(item -> item.put("decimal", n("12.50"))))).isEmpty();
        assertThat(ItemDifference.paths(Map.of("l", AttributeValue.fromL(List.of(s("x")))),
                Map.of("l", AttributeValue.fromL(List.of(s("x"), s("y")))))).containsExactly("l");
        assertThat(ItemDifference.paths(Map.of("m", AttributeValue.fromM(Map.of("a", s("x")))), Map.of("m", s("x")))).containsExactly("m");
    }

    private static SdkBytes bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return SdkBytes.fromByteArray(bytes);
    }
}
