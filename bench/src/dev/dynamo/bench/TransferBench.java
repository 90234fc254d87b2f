package dev.dynamo.bench;

import static dev.dynamo.bench.CopyBench.TABLE;
import static dev.dynamo.bench.CopyBench.fmt;
import static dev.dynamo.bench.CopyBench.fmt0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.pipeline.JobDefaults;
import dev.dynamo.testing.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The export/import benchmark ({@code bench/run --transfer}): one dynalite engine, {@code Orders} loaded with N of
 * {@link BenchItems}' items, and in one run: the export ceiling ({@link CeilingTransfer}: parallel Scan to gzip DynamoDB
 * JSON lines, one file per segment), {@code dynamo export} in DynamoDB JSON and in Ion to a local folder, the import
 * ceiling (those files, BatchWriteItem) and {@code dynamo import --create-table} of each export into a fresh table.
 *
 * <p>Every export is checked (its manifest's item count, and the sum over its files, equal N); every imported table is
 * scanned whole and each of its items compared, attribute by attribute, with the item the benchmark wrote (none
 * missing, none extra), and its keys and indexes with the source's. Each imported table is dropped after its check, so
 * the engine holds at most two tables.
 */
final class TransferBench {
    /** The formats exported and imported: both, or those BENCH_FORMATS names (ddb-json,ion), e.g. for a shorter 1M run. */
    private static final List<String> FORMATS = List.of(System.getenv().getOrDefault("BENCH_FORMATS", "ddb-json,ion").split(","));
    /** dynamo's default --threads, and with it the scan segments of a table under 8 x 128 MiB (see JobDefaults). */
    private static final int THREADS = JobDefaults.THREADS;
    private static final long SEGMENT_TARGET_BYTES = 128L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CopyBench.Options options;
    private final CopyBench.Report report = new CopyBench.Report();
    private final long n;
    private LocalDynamoDb engine;
    private CpuMeter cpu;
    private long itemBytes;
    private int segments;
    private Path work;
    private double ceilingExportRate;
    private double ceilingImportRate;
    private final List<String> summary = new ArrayList<>();
    /** Each dynamo export's folder (…/AWSDynamoDB/ID) by format; null when it failed. */
    private final Map<String, Path> exported = new LinkedHashMap<>();
    private double peakRssMib;

    TransferBench(CopyBench.Options options) {
        this.options = options;
        this.n = options.items();
    }

    void run() throws Exception {
        LocalDateTime started = LocalDateTime.now();
        report.line("# dynamo export / import benchmark, " + started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        report.line("");
        report.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "; one dynalite engine on 127.0.0.1 (in memory); " + String.format(Locale.ROOT, "%,d", n)
                + " items of about 1 KB; exports to a local folder. Load at the start (uptime): " + uptime() + ".");
        if (options.dynamoJavaOpts() != null) {
            report.line("");
            report.line("dynamo runs with DYNAMO_JAVA_OPTS=\"" + options.dynamoJavaOpts() + "\" (after the launcher's options).");
        }
        report.line("");
        work = Path.of("bench/target/transfer").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        engine = LocalDynamoDb.startDynalite("bench-transfer");
        cpu = new CpuMeter(engine.pid(), engine.pid());
        try {
            load();
            // The launcher records its class-data archive on its first run; do that outside the measurements.
            ProcessMeter.Measurement warmUp = dynamo(List.of("describe", "-t", TABLE, "-e", engine.env()));
            if (warmUp.exitCode() != 0) {
                throw new IllegalStateException("./dynamo describe failed: " + warmUp.stderr());
            }
            exports();
            imports();
            report.line("## Summary");
            report.line("");
            summary.forEach(line -> report.line("- " + line));
            report.line(String.format(Locale.ROOT, "- Highest peak RSS of a dynamo process: %.0f MiB at %,d items.", peakRssMib, n));
            report.line("");
            report.line("Load at the end (uptime): " + uptime() + ".");
        } finally {
            engine.close();
            if (!options.keepFiles()) {
                deleteTree(work);
            }
        }
        Files.createDirectories(options.results());
        Path file = options.results().resolve(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-export-import.md");
        Files.writeString(file, report.text());
        System.out.println();
        System.out.println("Written to " + file);
    }

    private void load() throws Exception {
        DynamoDbClient client = engine.client();
        BenchTables.recreate(client, TABLE);
        long start = System.nanoTime();
        long bytes = BenchTables.load(client, TABLE, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        itemBytes = bytes / Math.max(1, n);
        // Also the scan's warm-up: the engine's JIT has seen writes (the load), now it sees a whole-table scan.
        long counted = BenchTables.count(client, TABLE);
        if (counted != n) {
            throw new IllegalStateException("loaded " + counted + " items, expected " + n);
        }
        TableDescription table = client.describeTable(b -> b.tableName(TABLE)).table();
        long sizeBytes = table.tableSizeBytes() == null ? 0 : table.tableSizeBytes();
        // As JobDefaults.segmentsFor: one per writer thread, more for a table over THREADS x 128 MiB.
        segments = (int) Math.max(THREADS, (sizeBytes + SEGMENT_TARGET_BYTES - 1) / SEGMENT_TARGET_BYTES);
        report.line(String.format(Locale.ROOT, "Loaded %,d items (%.1f MB, %d bytes per item on average) in %.1f s (%.0f items/s); "
                + "the engine reports %.1f MB, so dynamo scans it in %d segments, %d threads: the ceilings use the same.",
                n, bytes / 1e6, itemBytes, seconds, n / seconds, sizeBytes / 1e6, segments, THREADS));
        report.line("");
    }

    private static final List<String> COLUMNS = List.of("run", "wall s", "items/s", "MB/s", "x ceiling", "peak RSS MiB", "CPU s",
            "engine CPU s", "data files", "data MB (gzip)", "load before", "verified");

    private void exports() throws Exception {
        report.table("Export: " + String.format(Locale.ROOT, "%,d", n) + " items to a local folder", COLUMNS);
        // The ceiling: parallel Scan, each segment's thread writing gzip DynamoDB JSON lines to its own file.
        Path ceilingDir = work.resolve("ceiling");
        String load = loadAverage();
        CpuMeter.Reading before = cpu.read();
        long start = System.nanoTime();
        long written = CeilingTransfer.export(engine.client(), TABLE, ceilingDir, segments, THREADS);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading used = cpu.read().minus(before);
        ceilingExportRate = n / seconds;
        report.row("ceiling (SDK Scan → gzip DynamoDB JSON)", fmt(seconds), fmt0(ceilingExportRate), fmt(ceilingExportRate * itemBytes / 1e6),
                "1.00", "— (in the bench's JVM)", fmt(used.bench()), fmt(used.source()), String.valueOf(files(ceilingDir)),
                mb(bytes(ceilingDir)), load, written == n ? "ok (" + written + " lines)" : "FAILED: " + written + " lines, expected " + n);
        for (String format : FORMATS) {
            dynamoExport(format);
        }
        report.endTable();
    }

    private void dynamoExport(String format) throws Exception {
        Path dir = work.resolve(format);
        List<String> args = List.of("export", "-t", TABLE, "-e", engine.env(), "--to", dir.toString(), "--format", format,
                "--no-progress", "--summary", "json", "--checkpoint", work.resolve("export-" + format + ".checkpoint").toString());
        String load = loadAverage();
        CpuMeter.Reading before = cpu.read();
        ProcessMeter.Measurement run = dynamo(args);
        CpuMeter.Reading used = cpu.read().minus(before);
        String verified;
        Path folder = null;
        if (run.exitCode() != 0) {
            verified = "FAILED: exit " + run.exitCode() + ": " + oneLine(run.stderr());
        } else {
            JsonNode out = JSON.readTree(run.stdout());
            folder = dir.resolve("AWSDynamoDB").resolve(out.path("exportId").asText());
            verified = checkExport(folder, out);
        }
        double rate = n / run.wallSeconds();
        peakRssMib = Math.max(peakRssMib, run.peakRssMib());
        Path data = folder == null ? dir : folder.resolve("data");
        report.row("dynamo export --format " + format, fmt(run.wallSeconds()), fmt0(rate), fmt(rate * itemBytes / 1e6),
                fmt(rate / ceilingExportRate), fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), fmt(used.source()),
                String.valueOf(files(data)), mb(bytes(data)), load, verified);
        summary.add(String.format(Locale.ROOT, "export --format %s: %.2f× the export ceiling (%.1f s against %.1f s), peak RSS %.0f MiB, "
                + "%s MB of data files; %s.", format, rate / ceilingExportRate, run.wallSeconds(), n / ceilingExportRate,
                run.peakRssMib(), mb(bytes(data)), verified.startsWith("ok") ? "verified" : verified));
        exported.put(format, verified.startsWith("ok") ? folder : null);
    }

    /** The export is complete: its summary JSON and manifest-summary.json say N items, and so do its files' counts. */
    private String checkExport(Path folder, JsonNode out) throws IOException {
        List<String> problems = new ArrayList<>();
        if (out.path("items").asLong(-1) != n) {
            problems.add("summary items " + out.path("items"));
        }
        Path summaryFile = folder.resolve("manifest-summary.json");
        if (!Files.isRegularFile(summaryFile)) {
            return "FAILED: no " + summaryFile;
        }
        JsonNode manifest = JSON.readTree(summaryFile.toFile());
        if (manifest.path("itemCount").asLong(-1) != n) {
            problems.add("manifest-summary itemCount " + manifest.path("itemCount"));
        }
        long inFiles = 0;
        int listed = 0;
        for (String line : Files.readAllLines(folder.resolve("manifest-files.json"))) {
            if (!line.isBlank()) {
                JsonNode file = JSON.readTree(line);
                inFiles += file.path("itemCount").asLong();
                listed++;
                String key = file.path("dataFileS3Key").asText();
                if (!Files.isRegularFile(folder.resolve(key.substring(key.indexOf("data/"))))) {
                    problems.add("missing " + key);
                }
            }
        }
        if (inFiles != n) {
            problems.add("manifest-files itemCounts sum to " + inFiles);
        }
        if (listed != files(folder.resolve("data"))) {
            problems.add(listed + " files in manifest-files, " + files(folder.resolve("data")) + " in data/");
        }
        if (out.path("bytes").asLong(-1) != bytes(folder.resolve("data"))) {
            problems.add("summary bytes " + out.path("bytes") + ", data files " + bytes(folder.resolve("data")));
        }
        return problems.isEmpty() ? "ok (manifests: " + n + " items in " + listed + " files)" : "FAILED: " + String.join(", ", problems);
    }

    private void imports() throws Exception {
        report.table("Import: each export into a fresh table (created by the run for dynamo import --create-table)", COLUMNS);
        // The ceiling: one thread per file of the ceiling's export, parsing lines, 25-item BatchWriteItem.
        String ceilingTable = "OrdersCeilingImport";
        BenchTables.recreate(engine.client(), ceilingTable);
        Path ceilingDir = work.resolve("ceiling");
        String load = loadAverage();
        CpuMeter.Reading before = cpu.read();
        long start = System.nanoTime();
        long written = CeilingTransfer.importFiles(engine.client(), ceilingTable, ceilingDir, THREADS);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading used = cpu.read().minus(before);
        ceilingImportRate = n / seconds;
        String verified = written != n ? "FAILED: " + written + " written, expected " + n : verifyTable(ceilingTable);
        report.row("ceiling (gzip DynamoDB JSON → SDK BatchWriteItem; table created before)", fmt(seconds), fmt0(ceilingImportRate),
                fmt(ceilingImportRate * itemBytes / 1e6), "1.00", "— (in the bench's JVM)", fmt(used.bench()), fmt(used.source()),
                String.valueOf(files(ceilingDir)), mb(bytes(ceilingDir)), load, verified);
        BenchTables.drop(engine.client(), ceilingTable);
        for (Map.Entry<String, Path> export : exported.entrySet()) {
            dynamoImport(export.getKey(), export.getValue());
        }
        report.endTable();
    }

    private void dynamoImport(String format, Path folder) throws Exception {
        String name = "dynamo import --create-table (" + format + " export)";
        if (folder == null) {
            report.row(name, "—", "—", "—", "—", "—", "—", "—", "—", "—", "—", "not run: the export failed");
            return;
        }
        String table = "OrdersImport" + (format.equals("ion") ? "Ion" : "DdbJson");
        BenchTables.drop(engine.client(), table);
        List<String> args = List.of("import", "-t", table, "-e", engine.env(), "--from", folder.toString(), "--create-table",
                "--no-progress", "--summary", "json", "--checkpoint", work.resolve("import-" + format + ".checkpoint").toString());
        String load = loadAverage();
        CpuMeter.Reading before = cpu.read();
        ProcessMeter.Measurement run = dynamo(args);
        CpuMeter.Reading used = cpu.read().minus(before);
        String verified;
        if (run.exitCode() != 0) {
            verified = "FAILED: exit " + run.exitCode() + ": " + oneLine(run.stderr());
        } else {
            JsonNode out = JSON.readTree(run.stdout());
            verified = out.path("written").asLong(-1) != n ? "FAILED: summary written " + out.path("written") + ", expected " + n
                    : !out.path("tableCreated").asBoolean() ? "FAILED: summary tableCreated " + out.path("tableCreated")
                    : verifyTable(table);
        }
        double rate = n / run.wallSeconds();
        peakRssMib = Math.max(peakRssMib, run.peakRssMib());
        Path data = folder.resolve("data");
        report.row(name, fmt(run.wallSeconds()), fmt0(rate), fmt(rate * itemBytes / 1e6), fmt(rate / ceilingImportRate),
                fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), fmt(used.source()), String.valueOf(files(data)), mb(bytes(data)), load,
                verified);
        summary.add(String.format(Locale.ROOT, "import of the %s export: %.2f× the import ceiling (%.1f s against %.1f s), peak RSS "
                + "%.0f MiB; %s.", format, rate / ceilingImportRate, run.wallSeconds(), n / ceilingImportRate, run.peakRssMib(),
                verified.startsWith("ok") ? "verified item by item" : verified));
        BenchTables.drop(engine.client(), table);
    }

    /**
     * The table holds exactly the N items the benchmark wrote: a whole parallel scan, each item compared attribute by
     * attribute (numbers by value, sets in any order) with {@link BenchItems#item}, none missing, none twice; and its
     * keys and indexes are the source's.
     */
    private String verifyTable(String table) throws Exception {
        DynamoDbClient client = engine.client();
        String definition = sameDefinition(client.describeTable(b -> b.tableName(TABLE)).table(),
                client.describeTable(b -> b.tableName(table)).table());
        if (definition != null) {
            return "FAILED: " + definition;
        }
        BitSet seen = new BitSet((int) n);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> parts = new ArrayList<>();
            for (int s = 0; s < THREADS; s++) {
                int segment = s;
                parts.add(pool.submit(() -> {
                    Map<String, AttributeValue> start = null;
                    do {
                        Map<String, AttributeValue> from = start;
                        ScanResponse page = client.scan(b -> b.tableName(table).segment(segment).totalSegments(THREADS)
                                .limit(1000).exclusiveStartKey(from));
                        for (Map<String, AttributeValue> item : page.items()) {
                            String problem = check(item, seen);
                            if (problem != null) {
                                return problem;
                            }
                        }
                        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                    } while (start != null);
                    return null;
                }));
            }
            for (Future<String> part : parts) {
                String problem = part.get();
                if (problem != null) {
                    return "FAILED: " + problem;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int found;
        synchronized (seen) {
            found = seen.cardinality();
        }
        return found == n ? "ok (" + found + " items, every one compared; keys and GSI as the source's)"
                : "FAILED: " + found + " of " + n + " items, first missing index " + seen.nextClearBit(0);
    }

    private String check(Map<String, AttributeValue> item, BitSet seen) {
        AttributeValue sk = item.get("sk");
        long i;
        try {
            i = Long.parseLong(sk.s().substring("order#".length()));
        } catch (RuntimeException e) {
            return "unexpected item " + item.get("pk") + " " + sk;
        }
        if (i < 0 || i >= n) {
            return "unexpected item index " + i;
        }
        if (!CopyBench.sameItem(BenchItems.item(i, n), item)) {
            return "item " + i + " differs: " + item;
        }
        synchronized (seen) {
            if (seen.get((int) i)) {
                return "item " + i + " seen twice";
            }
            seen.set((int) i);
        }
        return null;
    }

    /** Null when the two tables have the same keys, attribute definitions and GSIs (keys, projection); else what differs. */
    private static String sameDefinition(TableDescription source, TableDescription imported) {
        if (!source.keySchema().equals(imported.keySchema())) {
            return "key schema " + imported.keySchema() + ", source " + source.keySchema();
        }
        if (!new HashSet<>(source.attributeDefinitions()).equals(new HashSet<>(imported.attributeDefinitions()))) {
            return "attribute definitions " + imported.attributeDefinitions() + ", source " + source.attributeDefinitions();
        }
        Set<String> sourceIndexes = indexes(source.globalSecondaryIndexes());
        Set<String> importedIndexes = indexes(imported.globalSecondaryIndexes());
        return sourceIndexes.equals(importedIndexes) ? null : "GSIs " + importedIndexes + ", source " + sourceIndexes;
    }

    private static Set<String> indexes(List<GlobalSecondaryIndexDescription> indexes) {
        return indexes == null ? Set.of() : indexes.stream()
                .map(i -> i.indexName() + " " + i.keySchema() + " " + i.projection().projectionTypeAsString())
                .collect(Collectors.toSet());
    }

    private ProcessMeter.Measurement dynamo(List<String> args) throws Exception {
        // As users run it: the ./dynamo launcher (its JVM options, its class-data archive) on the jar.
        List<String> command = new ArrayList<>(List.of("./dynamo"));
        command.addAll(args);
        System.out.println("$ dynamo " + String.join(" ", args));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DYNAMO_JAR", options.jar().toAbsolutePath().toString());
        if (options.dynamoJavaOpts() != null) {
            environment.put("DYNAMO_JAVA_OPTS", options.dynamoJavaOpts());
        }
        return ProcessMeter.run(command, environment);
    }

    private static int files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            return (int) listing.filter(Files::isRegularFile).count();
        }
    }

    private static long bytes(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            long total = 0;
            for (Path file : listing.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    /** The 1-minute load average (the machine's cores are shared). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String uptime() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String oneLine(String text) {
        String line = text.strip().replace('\n', ' ').replace("|", "\\|");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
