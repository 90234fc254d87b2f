package dev.dynamo.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The export and import ceilings: the simplest correct pipelines written directly on the AWS SDK and Jackson, as most
 * SDK code is (items as {@code AttributeValue} maps). Export: a parallel segmented Scan (page Limit 1000), each segment's
 * thread writing its items as {@code {"Item":{...}}} DynamoDB JSON lines to its own gzip file. Import: one thread per
 * file, reading its lines, parsing each into an {@code AttributeValue} map and writing 25-item BatchWriteItem calls
 * (unprocessed items re-sent). No manifest, no checksums, no checks, no checkpoint: the fastest simple client.
 */
final class CeilingTransfer {
    private static final int SCAN_PAGE_ITEMS = 1000;
    private static final int BATCH_ITEMS = 25;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CeilingTransfer() {
    }

    /** Exports every item to {@code segments} files {@code dir/s0000N.json.gz}, {@code threads} segments at a time; returns the items written. */
    static long export(DynamoDbClient client, String table, Path dir, int segments, int threads) throws Exception {
        Files.createDirectories(dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int s = 0; s < segments; s++) {
                int segment = s;
                parts.add(pool.submit(() -> exportSegment(client, table, dir.resolve(String.format("s%05d.json.gz", segment)),
                        segment, segments)));
            }
            long items = 0;
            for (Future<Long> part : parts) {
                items += part.get();
            }
            return items;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long exportSegment(DynamoDbClient client, String table, Path file, int segment, int segments) throws IOException {
        long items = 0;
        try (OutputStream out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), BUFFER_BYTES), BUFFER_BYTES);
                JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client.scan(b -> b.tableName(table).segment(segment).totalSegments(segments)
                        .limit(SCAN_PAGE_ITEMS).exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    json.writeStartObject();
                    json.writeFieldName("Item");
                    writeItem(json, item);
                    json.writeEndObject();
                    json.flush();
                    out.write('\n');
                    items++;
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return items;
    }

    private static void writeItem(JsonGenerator json, Map<String, AttributeValue> item) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
            json.writeFieldName(entry.getKey());
            writeValue(json, entry.getValue());
        }
        json.writeEndObject();
    }

    /** One value in DynamoDB JSON: {@code {"S":"x"}}, {@code {"N":"1"}}, {@code {"B":"base64"}}, ... */
    private static void writeValue(JsonGenerator json, AttributeValue value) throws IOException {
        json.writeStartObject();
        switch (value.type()) {
            case S -> json.writeStringField("S", value.s());
            case N -> json.writeStringField("N", value.n());
            case B -> json.writeStringField("B", Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe()));
            case BOOL -> json.writeBooleanField("BOOL", value.bool());
            case NUL -> json.writeBooleanField("NULL", true);
            case SS -> writeStrings(json, "SS", value.ss());
            case NS -> writeStrings(json, "NS", value.ns());
            case BS -> {
                json.writeArrayFieldStart("BS");
                for (SdkBytes bytes : value.bs()) {
                    json.writeString(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
                }
                json.writeEndArray();
            }
            case L -> {
                json.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(json, element);
                }
                json.writeEndArray();
            }
            case M -> {
                json.writeFieldName("M");
                writeItem(json, value.m());
            }
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        }
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String type, List<String> values) throws IOException {
        json.writeArrayFieldStart(type);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** Imports every {@code *.json.gz} file of {@code dir} into {@code table}, {@code threads} files at a time; returns the items written. */
    static long importFiles(DynamoDbClient client, String table, Path dir, int threads) throws Exception {
        List<Path> files;
        try (var listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".json.gz")).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (Path file : files) {
                parts.add(pool.submit(() -> importFile(client, table, file)));
            }
            long items = 0;
            for (Future<Long> part : parts) {
                items += part.get();
            }
            return items;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long importFile(DynamoDbClient client, String table, Path file) throws IOException {
        long items = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), BUFFER_BYTES);
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES)) {
            List<WriteRequest> batch = new ArrayList<>(BATCH_ITEMS);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                Map<String, AttributeValue> item = readItem(MAPPER.readTree(line).get("Item"));
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                if (batch.size() == BATCH_ITEMS) {
                    BenchTables.write(client, table, batch);
                    items += batch.size();
                    batch = new ArrayList<>(BATCH_ITEMS);
                }
            }
            if (!batch.isEmpty()) {
                BenchTables.write(client, table, batch);
                items += batch.size();
            }
        }
        return items;
    }

    private static Map<String, AttributeValue> readItem(JsonNode item) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            attributes.put(field.getKey(), readValue(field.getValue()));
        }
        return attributes;
    }

    private static AttributeValue readValue(JsonNode value) {
        Map.Entry<String, JsonNode> typed = value.properties().iterator().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(strings(v));
            case "NS" -> AttributeValue.fromNs(strings(v));
            case "BS" -> AttributeValue.fromBs(strings(v).stream().map(s -> SdkBytes.fromByteArray(Base64.getDecoder().decode(s))).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>(v.size());
                v.forEach(element -> list.add(readValue(element)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(readItem(v));
            default -> throw new IllegalArgumentException("unknown attribute type " + typed.getKey());
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>(array.size());
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }
}
