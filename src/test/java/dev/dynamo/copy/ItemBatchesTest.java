package dev.dynamo.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.table.KeyAttribute;
import dev.dynamo.table.KeySchema;
import dev.dynamo.table.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemBatchesTest {
    private static final KeySchema SIMPLE = new KeySchema(new KeyAttribute("pk", KeyType.S), null);
    private static final KeySchema NUMBERED = new KeySchema(new KeyAttribute("pk", KeyType.S), new KeyAttribute("n", KeyType.N));

    private static Map<String, AttributeValue> item(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    @Test
    void splitsIntoBatchesOf25_inOrder() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(item("k" + i));
        }
        List<List<Map<String, AttributeValue>>> batches = ItemBatches.split(items, SIMPLE);
        assertThat(batches).extracting(List::size).containsExactly(25, 25, 10);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(items);
    }

    @Test
    void neverPutsTwoRequestsForOneKeyInABatch_numbersComparedByValue() {
        List<Map<String, AttributeValue>> items = List.of(
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1")),
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("2")),
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1.0")),
                Map.of("pk", AttributeValue.fromS("b"), "n", AttributeValue.fromN("1")));
        List<List<Map<String, AttributeValue>>> batches = ItemBatches.split(items, NUMBERED);
        assertThat(batches).extracting(List::size).containsExactly(2, 2);
        assertThat(batches.get(1).get(0).get("n").n()).isEqualTo("1.0");
    }

    @Test
    void keepsEachBatchUnder16Megabytes() {
        byte[] megabyte = new byte[1024 * 1024];
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("k" + i), "blob", AttributeValue.fromB(SdkBytes.fromByteArray(megabyte))));
        }
        List<List<Map<String, AttributeValue>>> batches = ItemBatches.split(items, SIMPLE);
        for (List<Map<String, AttributeValue>> batch : batches) {
            assertThat(batch.stream().mapToLong(ItemSize::of).sum()).isLessThanOrEqualTo(CopyDefaults.MAX_BATCH_BYTES);
        }
        assertThat(batches).extracting(List::size).containsExactly(15, 15, 10);
    }

    @Test
    void itemSizeFollowsDynamoDbsRules() {
        assertThat(ItemSize.of(Map.of("ab", AttributeValue.fromS("héllo")))).isEqualTo(2 + 6);
        assertThat(ItemSize.numberLength("123")).isEqualTo(3);          // 3 significant digits: 2 + 1
        assertThat(ItemSize.numberLength("-0.00012300")).isEqualTo(3);  // 123
        assertThat(ItemSize.numberLength("12345678901234567890123456789012345678")).isEqualTo(20);
        assertThat(ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true), AttributeValue.fromNul(true))))))
                .isEqualTo(1 + 3 + 2 + 2);
        assertThat(ItemSize.writeUnits(1024)).isEqualTo(1);
        assertThat(ItemSize.writeUnits(1025)).isEqualTo(2);
        assertThat(ItemSize.writeUnits(0)).isEqualTo(1);
    }
}
