package dev.dynamo.bench;

import static dev.dynamo.bench.CopyBench.TABLE;
import static dev.dynamo.bench.CopyBench.fmt;
import static dev.dynamo.bench.CopyBench.fmt0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.LocalDynamoDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Spark benchmark ({@code bench/run --spark}, issue 18): on the same two dynalite engines, in one run, the same
 * N-item whole-table copy into an empty target by the hand-written SDK ceiling ({@link CeilingCopy}), by
 * {@code ./dynamo copy --mode merge} and by {@code ./dynamo-spark --master local[2] copy --mode merge}, in rounds (the
 * ceiling first, then the two commands, in turn first), each compared with its own round's ceiling and each checked
 * (the target's count, and random items attribute by attribute with the source).
 *
 * <p>Spark's start-up is measured twice: as each run's wall time minus the summary's {@code elapsedSeconds} (which the
 * Spark job counts from when the context is up and the tables checked, and {@code dynamo copy} from when its copy
 * starts), and as the wall time of copying a one-item table with each command, where start and stop are all there is.
 */
final class SparkBench {
    private static final String TINY_TABLE = "OneItem";
    private static final String SPARK_MASTER = "local[2]";
    private static final int SAMPLE_ITEMS = 300;
    /** Copies of the one-item table per command, after one unreported copy each (page cache, class-data archive). */
    private static final int TINY_RUNS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CopyBench.Options options;
    private final CopyBench.Report report = new CopyBench.Report();
    private final long n;
    private LocalDynamoDb source;
    private LocalDynamoDb target;
    private CpuMeter cpu;
    private long itemBytes;
    private Path work;
    private int runNumber;

    SparkBench(CopyBench.Options options) {
        this.options = options;
        this.n = options.items();
    }

    /** One measured command: its row's cells, and what the summary adds. */
    private record Run(String name, ProcessMeter.Measurement process, CpuMeter.Reading servers, double elapsedSeconds,
            String verified) {
        double itemsPerSecond(long items) {
            return verified.startsWith("ok") ? items / process.wallSeconds() : 0;
        }

        /** Wall time outside the copy itself: JVM and (for Spark) the context's start, table checks, stop and exit. */
        double overheadSeconds() {
            return elapsedSeconds < 0 ? -1 : process.wallSeconds() - elapsedSeconds;
        }
    }

    void run() throws Exception {
        LocalDateTime started = LocalDateTime.now();
        int[] config = options.ceilingConfigs().get(0);
        report.line("# dynamo copy on Spark (local[2]) against dynamo copy and the ceiling, "
                + started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        report.line("");
        report.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "; two dynalite engines on 127.0.0.1 (in memory); " + String.format(Locale.ROOT, "%,d", n)
                + " items of about 1 KB. Load at the start (uptime): " + uptime() + ".");
        report.line("");
        report.line("Commands as users run them, under /usr/bin/time -v: `./dynamo copy -t Orders --source S --target T --mode merge"
                + " --yes --no-progress --summary json` and `./dynamo-spark --master " + SPARK_MASTER + " copy -t Orders --source S"
                + " --target T --mode merge --no-progress --summary json` (its defaults: 4 segments per task slot, 4 writer threads"
                + " per task), each into an empty target; the ceiling (" + config[0] + " segments x " + config[1]
                + " writers) runs inside the benchmark's JVM.");
        report.line("");
        work = Path.of("bench/target/spark").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        source = LocalDynamoDb.startDynalite("bench-source");
        target = LocalDynamoDb.startDynalite("bench-target");
        cpu = new CpuMeter(source.pid(), target.pid());
        List<String> summary = new ArrayList<>();
        try {
            load();
            startUp(summary);
            rounds(config, summary);
            report.line("## Summary");
            report.line("");
            summary.forEach(line -> report.line("- " + line));
            report.line("");
            report.line("Load at the end (uptime): " + uptime() + ".");
        } finally {
            source.close();
            target.close();
            deleteTree(work);
        }
        Files.createDirectories(options.results());
        Path file = options.results().resolve(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-spark.md");
        Files.writeString(file, report.text());
        System.out.println();
        System.out.println("Written to " + file);
    }

    private void load() throws Exception {
        BenchTables.recreate(source.client(), TABLE);
        long start = System.nanoTime();
        long bytes = BenchTables.load(source.client(), TABLE, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        itemBytes = bytes / Math.max(1, n);
        report.line(String.format(Locale.ROOT, "Loaded %,d items (%.1f MB, %d bytes per item on average) in %.1f s (%.0f items/s).",
                n, bytes / 1e6, itemBytes, seconds, n / seconds));
        report.line("");
        BenchTables.recreate(source.client(), TINY_TABLE);
        BenchTables.load(source.client(), TINY_TABLE, 1);
    }

    /**
     * The fixed cost of each command: copies of a one-item table, the two commands in turn, after one unreported copy
     * each (the launcher records its class-data archive; the page cache takes Spark's jars). Also warms the engines'
     * and the ceiling's JIT with one unreported ceiling copy of the whole table.
     */
    private void startUp(List<String> summary) throws Exception {
        copy("warm-up", false, TINY_TABLE, 1);
        copy("warm-up", true, TINY_TABLE, 1);
        BenchTables.recreate(target.client(), TABLE);
        int[] first = options.ceilingConfigs().get(0);
        CeilingCopy.copy(source.client(), TABLE, target.client(), TABLE, first[0], first[1]);
        report.table("Start-up: copy of a one-item table (JVM start and stop included; " + TINY_RUNS + " each, in turn)",
                List.of("run", "wall s", "copy s (summary)", "wall − copy s", "peak RSS MiB", "CPU s", "verified"));
        List<Double> dynamoWalls = new ArrayList<>();
        List<Double> sparkWalls = new ArrayList<>();
        for (int i = 0; i < TINY_RUNS; i++) {
            for (boolean spark : i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                Run run = copy(spark ? "dynamo-spark copy" : "dynamo copy", spark, TINY_TABLE, 1);
                report.row(run.name(), fmt(run.process().wallSeconds()), fmt(run.elapsedSeconds()), fmt(run.overheadSeconds()),
                        fmt0(run.process().peakRssMib()), fmt(run.process().cpuSeconds()), run.verified());
                (spark ? sparkWalls : dynamoWalls).add(run.verified().startsWith("ok") ? run.process().wallSeconds() : Double.NaN);
            }
        }
        report.endTable();
        double dynamo = median(dynamoWalls);
        double spark = median(sparkWalls);
        summary.add(String.format(Locale.ROOT, "Fixed cost (a one-item copy, median of %d): `dynamo copy` %.2f s, `dynamo-spark "
                + "--master %s copy` %.2f s: Spark's start-up and stop add **%.1f s**.", TINY_RUNS, dynamo, SPARK_MASTER, spark,
                spark - dynamo));
    }

    private void rounds(int[] config, List<String> summary) throws Exception {
        List<Double> ceilingRates = new ArrayList<>();
        List<Double> dynamoRatios = new ArrayList<>();
        List<Double> sparkRatios = new ArrayList<>();
        List<Double> sparkToDynamo = new ArrayList<>();
        List<Double> dynamoOverheads = new ArrayList<>();
        List<Double> sparkOverheads = new ArrayList<>();
        List<Double> dynamoRss = new ArrayList<>();
        List<Double> sparkRss = new ArrayList<>();
        List<Double> dynamoCpu = new ArrayList<>();
        List<Double> sparkCpu = new ArrayList<>();
        List<Double> ceilingCpu = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            report.table("Round " + round, List.of("run", "wall s", "items/s", "MB/s", "x ceiling", "copy s (summary)", "wall − copy s",
                    "peak RSS MiB", "client CPU s", "source server CPU s", "target server CPU s", "verified"));
            BenchTables.recreate(target.client(), TABLE);
            CpuMeter.Reading before = cpu.read();
            long start = System.nanoTime();
            long written = CeilingCopy.copy(source.client(), TABLE, target.client(), TABLE, config[0], config[1]);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Reading used = cpu.read().minus(before);
            String verified = written == n ? verify(TABLE, n) : "FAILED: wrote " + written + ", expected " + n;
            double ceiling = verified.startsWith("ok") ? n / seconds : Double.NaN;
            ceilingRates.add(ceiling);
            ceilingCpu.add(used.bench());
            report.row("ceiling " + config[0] + " x " + config[1], fmt(seconds), fmt0(n / seconds), fmt(n / seconds * itemBytes / 1e6),
                    "1.00", "", "", "", fmt(used.bench()), fmt(used.source()), fmt(used.target()), verified);
            // The two commands take turns going first, so that drift within a round hits both.
            Run dynamo = null;
            Run spark = null;
            for (boolean isSpark : round % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                Run run = copy(isSpark ? "dynamo-spark --master " + SPARK_MASTER + " copy" : "dynamo copy", isSpark, TABLE, n);
                double rate = run.itemsPerSecond(n);
                report.row(run.name(), fmt(run.process().wallSeconds()), fmt0(n / run.process().wallSeconds()),
                        fmt(n / run.process().wallSeconds() * itemBytes / 1e6), fmt(rate / ceiling), fmt(run.elapsedSeconds()),
                        fmt(run.overheadSeconds()), fmt0(run.process().peakRssMib()), fmt(run.process().cpuSeconds()),
                        fmt(run.servers().source()), fmt(run.servers().target()), run.verified());
                if (isSpark) {
                    spark = run;
                } else {
                    dynamo = run;
                }
            }
            report.endTable();
            dynamoRatios.add(dynamo.itemsPerSecond(n) / ceiling);
            sparkRatios.add(spark.itemsPerSecond(n) / ceiling);
            sparkToDynamo.add(spark.itemsPerSecond(n) / dynamo.itemsPerSecond(n));
            dynamoOverheads.add(dynamo.overheadSeconds());
            sparkOverheads.add(spark.overheadSeconds());
            dynamoRss.add(dynamo.process().peakRssMib());
            sparkRss.add(spark.process().peakRssMib());
            dynamoCpu.add(dynamo.process().cpuSeconds());
            sparkCpu.add(spark.process().cpuSeconds());
        }
        int rounds = options.rounds();
        summary.add(String.format(Locale.ROOT, "Ceiling (%d x %d): median %.0f items/s over %d rounds, client CPU %.1f s.", config[0],
                config[1], median(ceilingRates), rounds, median(ceilingCpu)));
        summary.add(String.format(Locale.ROOT, "`dynamo copy`: median of the rounds' ratios to the ceiling **%.2f×** (rounds: %s); "
                + "peak RSS %.0f MiB, client CPU %.1f s, wall outside the copy %.2f s (medians).", median(dynamoRatios), list(dynamoRatios),
                median(dynamoRss), median(dynamoCpu), median(dynamoOverheads)));
        summary.add(String.format(Locale.ROOT, "`dynamo-spark --master %s copy`: **%.2f×** the ceiling (rounds: %s), **%.2f×** "
                + "`dynamo copy` (rounds: %s); peak RSS %.0f MiB, client CPU %.1f s, wall outside the copy %.2f s (medians).",
                SPARK_MASTER, median(sparkRatios), list(sparkRatios), median(sparkToDynamo), list(sparkToDynamo), median(sparkRss),
                median(sparkCpu), median(sparkOverheads)));
    }

    /** One measured copy of {@code table} into an empty target by {@code ./dynamo} or {@code ./dynamo-spark}, checked. */
    private Run copy(String name, boolean spark, String table, long items) throws Exception {
        BenchTables.recreate(target.client(), table);
        List<String> command = new ArrayList<>();
        if (spark) {
            // The checkpoint (removed when the copy finishes) and any dead letters in the work folder, not in ~/.dynamo.
            int number = ++runNumber;
            command.addAll(List.of("./dynamo-spark", "--master", SPARK_MASTER, "copy", "--checkpoint",
                    work.resolve("checkpoint-" + number).toString(), "--dead-letter", work.resolve("dead-letters-" + number).toString()));
        } else {
            command.addAll(List.of("./dynamo", "copy", "--yes"));
        }
        command.addAll(List.of("-t", table, "--source", source.env(), "--target", target.env(), "--mode", "merge", "--no-progress",
                "--summary", "json"));
        System.out.println("$ " + String.join(" ", command));
        CpuMeter.Reading before = cpu.read();
        ProcessMeter.Measurement process = ProcessMeter.run(command, Map.of("DYNAMO_JAR", options.jar().toAbsolutePath().toString()));
        CpuMeter.Reading servers = cpu.read().minus(before);
        double elapsed = -1;
        String verified;
        if (process.exitCode() != 0) {
            verified = "FAILED: exit " + process.exitCode() + ": " + process.stderr().trim().lines().reduce((a, b) -> b).orElse("");
        } else {
            JsonNode summary = summary(process.stdout());
            elapsed = summary == null ? -1 : summary.path("elapsedSeconds").asDouble(-1);
            long written = summary == null ? -1 : summary.path("written").asLong(-1);
            verified = written != items ? "FAILED: the summary says written " + written + ", expected " + items : verify(table, items);
        }
        return new Run(name, process, servers, elapsed, verified);
    }

    /** The summary: the last line of stdout that is a JSON object. */
    private static JsonNode summary(String stdout) {
        List<String> lines = stdout.lines().filter(line -> line.startsWith("{")).toList();
        if (lines.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return null;
        }
    }

    /** The target's count, and a random sample of items compared attribute by attribute with the source and with the generator. */
    private String verify(String table, long expected) throws Exception {
        long count = BenchTables.count(target.client(), table);
        if (count != expected) {
            return "FAILED: " + count + " items, expected " + expected;
        }
        Random random = new Random(expected);
        long samples = Math.min(SAMPLE_ITEMS, expected);
        for (int i = 0; i < samples; i++) {
            long index = expected <= SAMPLE_ITEMS ? i : Math.floorMod(random.nextLong(), expected);
            Map<String, AttributeValue> item = BenchItems.item(index, expected);
            Map<String, AttributeValue> key = Map.of("pk", item.get("pk"), "sk", item.get("sk"));
            Map<String, AttributeValue> fromSource = source.client().getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            Map<String, AttributeValue> fromTarget = target.client().getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            if (!CopyBench.sameItem(fromSource, fromTarget) || !CopyBench.sameItem(item, fromTarget)) {
                return "FAILED: item " + key + " differs";
            }
        }
        return "ok (" + count + " items, " + samples + " compared)";
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }

    private static String list(List<Double> values) {
        return values.stream().map(CopyBench::fmt).collect(Collectors.joining(", "));
    }

    private static String uptime() {
        try {
            String[] loads = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return loads[0] + ", " + loads[1] + ", " + loads[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
