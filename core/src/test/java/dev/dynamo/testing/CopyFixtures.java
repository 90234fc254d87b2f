package dev.dynamo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.table.AttributeValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Items for copy tests, a parallel loader, and exact comparison of a table's items. */
public final class CopyFixtures {
    private CopyFixtures() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    public static AttributeValue b(byte... bytes) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
    }

    /** An item with every type DynamoDB has, including the edge cases it allows (empty strings, 38 digits). */
    public static Map<String, AttributeValue> everyType(Map<String, AttributeValue> key, int seed) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put("text", s("héllo \"wörld\" \u2603 \uD83D\uDE00 #" + seed));
        item.put("emptyText", s(""));
        item.put("n38", n("1234567890123456789012345678901234567" + (seed % 10)));
        item.put("tiny", n("-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"));
        item.put("huge", n("9.9999999999999999999999999999999999999E+125"));
        item.put("decimal", n("12.5"));
        item.put("bytes", b((byte) 0, (byte) -1, (byte) seed, (byte) 127));
        item.put("emptyBytes", b());
        item.put("flag", AttributeValue.fromBool(seed % 2 == 0));
        item.put("nothing", AttributeValue.fromNul(true));
        item.put("strings", AttributeValue.fromSs(List.of("b", "a", "", "s" + seed)));
        item.put("numbers", AttributeValue.fromNs(List.of("1", "-2.5", "12345678901234567890123456789012345678", "100" + seed)));
        item.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}), SdkBytes.fromByteArray(new byte[] {2, (byte) seed}))));
        item.put("list", AttributeValue.fromL(List.of(s("x"), n("2"), AttributeValue.fromL(List.of()), AttributeValue.fromM(Map.of()),
                AttributeValue.fromNul(true), b((byte) 9))));
        item.put("map", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("7")),
                "empty", s(""))), "when", n("" + seed))));
        return item;
    }

    /** Writes the items with BatchWriteItem from a few threads at once (for large test tables). */
    /**
     * {@code count} items keyed pk (S, {@code p0} to {@code p<partitions - 1>}) and sk (N, 0 to count - 1): one in ten with
     * every attribute type ({@link #everyType}), the others small.
     */
    public static List<Map<String, AttributeValue>> mixedItems(int count, int partitions) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p" + i % partitions),
                    "sk", AttributeValue.fromN(String.valueOf(i)));
            items.add(i % 10 == 0 ? everyType(key, i) : Map.of("pk", key.get("pk"), "sk", key.get("sk"),
                    "v", AttributeValue.fromS("value " + i)));
        }
        return items;
    }

    public static void putParallel(DynamoDbClient client, String table, List<Map<String, AttributeValue>> items) {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            int chunk = (items.size() + threads - 1) / threads;
            for (int start = 0; start < items.size(); start += chunk) {
                List<Map<String, AttributeValue>> part = items.subList(start, Math.min(items.size(), start + chunk));
                done.add(pool.submit(() -> TestTables.put(client, table, part)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading test items failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every item of a table of any size (a strongly consistent scan with a page Limit), by primary key. */
    public static Map<String, Map<String, AttributeValue>> itemsByKey(DynamoDbClient client, String table, List<String> keyNames) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true).limit(1000);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = client.scan(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                Map<String, AttributeValue> previous = items.put(keyText(item, keyNames), item);
                assertThat(previous).as("a scan returned the key %s twice", keyText(item, keyNames)).isNull();
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * Every item of a table, by primary key, read by a strongly consistent parallel Scan of
     * {@code segments} segments (one thread each): the same as {@link #itemsByKey}, faster on large tables.
     */
    public static Map<String, Map<String, AttributeValue>> itemsByKey(DynamoDbClient client, String table, List<String> keyNames,
            int segments) {
        ExecutorService pool = Executors.newFixedThreadPool(segments);
        try {
            List<Future<List<Map<String, AttributeValue>>>> parts = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int which = segment;
                parts.add(pool.submit(() -> {
                    List<Map<String, AttributeValue>> items = new ArrayList<>();
                    Map<String, AttributeValue> start = null;
                    do {
                        ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true).limit(1000)
                                .segment(which).totalSegments(segments);
                        if (start != null) {
                            request.exclusiveStartKey(start);
                        }
                        ScanResponse page = client.scan(request.build());
                        items.addAll(page.items());
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return items;
                }));
            }
            Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
            for (Future<List<Map<String, AttributeValue>>> part : parts) {
                for (Map<String, AttributeValue> item : part.get()) {
                    Map<String, AttributeValue> previous = items.put(keyText(item, keyNames), item);
                    assertThat(previous).as("a scan returned the key %s twice", keyText(item, keyNames)).isNull();
                }
            }
            return items;
        } catch (Exception e) {
            throw new IllegalStateException("scanning " + table + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    public static String keyText(Map<String, AttributeValue> item, List<String> keyNames) {
        StringBuilder text = new StringBuilder();
        for (String name : keyNames) {
            text.append(AttributeValues.canonical(item.get(name))).append('|');
        }
        return text.toString();
    }

    /** The items by key, for comparing what was written with what a scan returns. */
    public static Map<String, Map<String, AttributeValue>> byKey(List<Map<String, AttributeValue>> items, List<String> keyNames) {
        Map<String, Map<String, AttributeValue>> map = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            map.put(keyText(item, keyNames), item);
        }
        return map;
    }

    /**
     * Asserts the two tables hold exactly the same items: same keys, and equal full maps, every type,
     * compared as DynamoDB compares them. Numbers are compared by value: engines spell them their own
     * way (dynalite returns 1E-130 as 0.000…1), and two engines under one test may differ.
     */
    public static void assertSameItems(DynamoDbClient sourceClient, String source, DynamoDbClient targetClient, String target,
            List<String> keyNames) {
        // Both tables are read at once (they are usually on two servers): large tables take half the time.
        CompletableFuture<Map<String, Map<String, AttributeValue>>> reading =
                CompletableFuture.supplyAsync(() -> itemsByKey(sourceClient, source, keyNames));
        Map<String, Map<String, AttributeValue>> actual = itemsByKey(targetClient, target, keyNames);
        Map<String, Map<String, AttributeValue>> expected = reading.join();
        if (actual.equals(expected)) {
            return;
        }
        assertThat(actual.keySet()).as("keys of %s", target).isEqualTo(expected.keySet());
        for (Map.Entry<String, Map<String, AttributeValue>> entry : expected.entrySet()) {
            Map<String, AttributeValue> item = actual.get(entry.getKey());
            if (!item.equals(entry.getValue())) {
                assertThat(canonical(item)).as("item %s (by value)", entry.getKey()).isEqualTo(canonical(entry.getValue()));
            }
        }
    }

    /** Each attribute as {@link AttributeValues#canonical}: equal exactly when DynamoDB sees equal values. */
    public static Map<String, String> canonical(Map<String, AttributeValue> item) {
        Map<String, String> canonical = new TreeMap<>();
        item.forEach((name, value) -> canonical.put(name, AttributeValues.canonical(value)));
        return canonical;
    }

    /** The items as DynamoDB holds them, compared attribute by attribute with DynamoDB's equality. */
    public static void assertSameValues(Map<String, AttributeValue> expected, Map<String, AttributeValue> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        Map<String, String> expectedCanonical = new HashMap<>();
        Map<String, String> actualCanonical = new HashMap<>();
        expected.forEach((name, value) -> expectedCanonical.put(name, AttributeValues.canonical(value)));
        actual.forEach((name, value) -> actualCanonical.put(name, AttributeValues.canonical(value)));
        assertThat(actualCanonical).isEqualTo(expectedCanonical);
    }
}
