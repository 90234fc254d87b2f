package dev.dynamo.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.items.ItemSize;
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
        List<ItemBatches.Batch> batches = ItemBatches.split(items, SIMPLE);
        assertThat(batches).extracting(batch -> batch.items().size()).containsExactly(25, 25, 10);
        assertThat(batches.stream().flatMap(batch -> batch.items().stream()).toList()).isEqualTo(items);
        // each item sized once, in order, with the batch
        assertThat(batches.get(2).sizes()).hasSize(10).containsOnly(ItemSize.of(items.get(50)));
        assertThat(batches.get(0).bytes()).isEqualTo(items.subList(0, 25).stream().mapToLong(ItemSize::of).sum());
    }

    @Test
    void neverPutsTwoRequestsForOneKeyInABatch_numbersComparedByValue() {
        List<Map<String, AttributeValue>> items = List.of(
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1")),
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("2")),
                Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1.0")),
                Map.of("pk", AttributeValue.fromS("b"), "n", AttributeValue.fromN("1")));
        List<ItemBatches.Batch> batches = ItemBatches.split(items, NUMBERED);
        assertThat(batches).extracting(batch -> batch.items().size()).containsExactly(2, 2);
        assertThat(batches.get(1).items().get(0).get("n").n()).isEqualTo("1.0");
    }

    @Test
    void keepsEachBatchUnder16Megabytes() {
        byte[] megabyte = new byte[1024 * 1024];
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("k" + i), "blob", AttributeValue.fromB(SdkBytes.fromByteArray(megabyte))));
        }
        List<ItemBatches.Batch> batches = ItemBatches.split(items, SIMPLE);
        for (ItemBatches.Batch batch : batches) {
            assertThat(batch.bytes()).isLessThanOrEqualTo(JobDefaults.MAX_BATCH_BYTES);
        }
        assertThat(batches).extracting(batch -> batch.items().size()).containsExactly(15, 15, 10);
    }

    @Test
    void sameKeyInOtherSpellings_startsANewBatch_otherTypesDoNot() {
        KeySchema binary = new KeySchema(new KeyAttribute("pk", KeyType.B), new KeyAttribute("n", KeyType.N));
        List<Map<String, AttributeValue>> items = List.of(
                Map.of("pk", AttributeValue.fromB(SdkBytes.fromUtf8String("a")), "n", AttributeValue.fromN("100")),
                Map.of("pk", AttributeValue.fromB(SdkBytes.fromUtf8String("b")), "n", AttributeValue.fromN("100")),
                Map.of("pk", AttributeValue.fromB(SdkBytes.fromUtf8String("a")), "n", AttributeValue.fromN("1E2")),
                Map.of("pk", AttributeValue.fromB(SdkBytes.fromUtf8String("a")), "n", AttributeValue.fromN("0.0")),
                Map.of("pk", AttributeValue.fromB(SdkBytes.fromUtf8String("a")), "n", AttributeValue.fromN("-0")));
        assertThat(ItemBatches.split(items, binary)).extracting(batch -> batch.items().size()).containsExactly(2, 2, 1);
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
        assertThat(ItemSize.of(Map.of("s", AttributeValue.fromSs(List.of("ab", "ç")), "n", AttributeValue.fromNs(List.of("1", "22")),
                "b", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[5]))),
                "m", AttributeValue.fromM(Map.of("k", AttributeValue.fromN("7"))))))
                .isEqualTo(1 + 4 + 1 + 4 + 1 + 5 + 1 + 3 + 1 + 1 + 2);
        assertThat(ItemSize.of(Map.of("e", AttributeValue.fromS("\uD83D\uDE00")))).isEqualTo(1 + 4); // a surrogate pair: 4 UTF-8 bytes
    }
}
