package dev.dynamo.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The benchmark's items: about 1 KB each, every attribute type, about 50 items per partition key,
 * plus one hot partition ({@value #HOT_PARTITION}) of {@value #HOT_PARTITION_ITEMS} items for the
 * query-selected copy. Deterministic: item i is always the same.
 */
final class BenchItems {
    static final String HOT_PARTITION = "customer#hot";
    static final int HOT_PARTITION_ITEMS = 5_000;
    static final int ITEMS_PER_PARTITION = 50;
    static final String GSI_NAME = "byStatus";
    static final String[] STATUSES = {"pending", "shipped", "delivered", "cancelled", "returned"};
    private static final String PADDING = "x".repeat(560);

    private BenchItems() {
    }

    /** Item i of a table of n items: the first HOT_PARTITION_ITEMS go to the hot partition (when n allows). */
    static Map<String, AttributeValue> item(long i, long n) {
        boolean hot = n >= 4L * HOT_PARTITION_ITEMS && i < HOT_PARTITION_ITEMS;
        String pk = hot ? HOT_PARTITION : "customer#" + (i / ITEMS_PER_PARTITION);
        Map<String, AttributeValue> item = new HashMap<>(24);
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(String.format("order#%09d", i)));
        item.put("status", AttributeValue.fromS(STATUSES[(int) (i % STATUSES.length)]));
        item.put("created", AttributeValue.fromS(String.format("2024-%02d-%02dT%02d:%02d:%02dZ",
                i % 12 + 1, i % 28 + 1, i % 24, i % 60, (i * 7) % 60)));
        item.put("total", AttributeValue.fromN("1234567890123456789012345678." + String.format("%010d", i)));
        item.put("count", AttributeValue.fromN(Long.toString(i)));
        item.put("ratio", AttributeValue.fromN("-0.000000000000000000000000000" + (i % 97 + 1)));
        item.put("gift", AttributeValue.fromBool(i % 3 == 0));
        item.put("note", AttributeValue.fromNul(true));
        item.put("digest", AttributeValue.fromB(SdkBytes.fromByteArray(digest(i))));
        item.put("tags", AttributeValue.fromSs(List.of("t" + (i % 7), "t" + (i % 11 + 10), "t" + (i % 13 + 30))));
        item.put("sizes", AttributeValue.fromNs(List.of(Long.toString(i % 5), Long.toString(i % 9 + 10), "3.25")));
        item.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a" + i), SdkBytes.fromUtf8String("b" + i))));
        item.put("address", AttributeValue.fromM(Map.of(
                "street", AttributeValue.fromS(i + " Main Street"),
                "zip", AttributeValue.fromN(Long.toString(10000 + i % 89999)),
                "geo", AttributeValue.fromL(List.of(AttributeValue.fromN("52.520008"), AttributeValue.fromN("13.404954"))))));
        item.put("lines", AttributeValue.fromL(List.of(
                AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("sku-" + i % 500), "qty", AttributeValue.fromN("2"))),
                AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("sku-" + i % 300), "qty", AttributeValue.fromN("1"),
                        "gift", AttributeValue.fromBool(false))),
                AttributeValue.fromS(""))));
        item.put("empty", AttributeValue.fromS(""));
        item.put("payload", AttributeValue.fromS(PADDING));
        return item;
    }

    private static byte[] digest(long i) {
        byte[] bytes = new byte[32];
        long x = i * 0x9E3779B97F4A7C15L + 1;
        for (int b = 0; b < bytes.length; b++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[b] = (byte) x;
        }
        return bytes;
    }

    /** Rough item size in bytes as DynamoDB counts it (names + values), for MB/s figures. */
    static long approximateSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
            size += entry.getKey().getBytes(StandardCharsets.UTF_8).length + size(entry.getValue());
        }
        return size;
    }

    private static long size(AttributeValue value) {
        return switch (value.type()) {
            case S -> value.s().getBytes(StandardCharsets.UTF_8).length;
            case N -> value.n().length() / 2 + 1;
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
            case NS -> value.ns().stream().mapToLong(n -> n.length() / 2 + 1).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
            case L -> 3 + value.l().stream().mapToLong(v -> 1 + size(v)).sum();
            case M -> 3 + value.m().entrySet().stream().mapToLong(e -> 1 + e.getKey().length() + size(e.getValue())).sum();
            default -> 0;
        };
    }
}
