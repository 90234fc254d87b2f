package dev.dynamo.bench;

import dev.dynamo.table.AttributeValues;
import dev.dynamo.testing.LocalDynamoDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The copy benchmark: two dynalite engines ("source account", "target account"), an
 * {@code Orders} table loaded with N items of about 1 KB, and in one run: the ceiling (a minimal
 * hand-written SDK pipeline, best of a few thread counts), {@code dynamo copy} in merge and replace
 * mode, query-selected copies, and {@code dynamo query} start-up times, each verified. With {@code --replace},
 * the replace benchmark instead ({@link ReplaceBench}); with {@code --transfer}, the export/import benchmark
 * ({@link TransferBench}); with {@code --spark}, the same copy on Spark's local master ({@link SparkBench}).
 *
 * <p>Run it with {@code bench/run} (see bench/README.md).
 */
public final class CopyBench {
    static final String TABLE = "Orders";
    private static final int SAMPLE_ITEMS = 300;

    private final Options options;
    private final Report report = new Report();
    private LocalDynamoDb source;
    private LocalDynamoDb target;
    private CpuMeter cpu;
    private double ceilingItemsPerSecond;
    private int[] bestCeilingConfig;
    private long itemBytes;

    /** Command-line options of the benchmark. */
    record Options(long items, boolean scale, boolean million, List<int[]> ceilingConfigs, Path jar, Path results,
            List<String> variants, int rounds, boolean replace, Path oldJar, int replaceRounds, long pollMillis, boolean transfer,
            boolean keepFiles, String dynamoJavaOpts, boolean spark) {
        static Options parse(String[] args) {
            long items = 100_000;
            List<String> variants = new ArrayList<>();
            int rounds = -1;
            boolean replace = false;
            boolean transfer = false;
            boolean keepFiles = false;
            boolean spark = false;
            String dynamoJavaOpts = null;
            Path oldJar = Path.of("bench/target/old/dynamo.jar");
            long pollMillis = 100;
            boolean scale = false;
            boolean million = false;
            List<int[]> configs = new ArrayList<>(List.of(new int[] {4, 4}, new int[] {8, 8}, new int[] {8, 12}, new int[] {16, 16}));
            Path jar = Path.of("cli/target/dynamo.jar");
            Path results = Path.of("bench/results");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--items" -> items = Long.parseLong(args[++i].replace("_", "").replace("k", "000"));
                    case "--scale" -> scale = true;
                    case "--million" -> million = true;
                    case "--ceiling" -> {
                        configs.clear();
                        for (String config : args[++i].split(",")) {
                            String[] parts = config.split("x");
                            configs.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
                        }
                    }
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--results" -> results = Path.of(args[++i]);
                    case "--ab" -> variants.add(args[++i]);
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--replace" -> replace = true;
                    case "--old-jar" -> oldJar = Path.of(args[++i]);
                    case "--poll-ms" -> pollMillis = Long.parseLong(args[++i]);
                    case "--transfer" -> transfer = true;
                    case "--keep-files" -> keepFiles = true;
                    case "--java-opts" -> dynamoJavaOpts = args[++i];
                    case "--spark" -> spark = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (expected --items N, --scale, --million, --ceiling 4x4,8x8, --jar PATH, --results DIR,"
                            + " --ab '[JAR::]copy args', --rounds N, --replace, --old-jar PATH, --poll-ms MS, --transfer, --keep-files,"
                            + " --java-opts 'JVM options', --spark");
                }
            }
            if (replace && !variants.isEmpty()) {
                throw new IllegalArgumentException("--replace and --ab are separate runs: give one of them");
            }
            if (transfer && (replace || !variants.isEmpty() || scale || million)) {
                throw new IllegalArgumentException("--transfer is a separate run: give it without --replace, --ab, --scale, --million");
            }
            if (spark && (transfer || replace || !variants.isEmpty() || scale || million)) {
                throw new IllegalArgumentException("--spark is a separate run: give it without --transfer, --replace, --ab, --scale, --million");
            }
            if (dynamoJavaOpts != null && !transfer) {
                throw new IllegalArgumentException("--java-opts is an option of --transfer (the copy benchmark has --ab)");
            }
            // The paired rounds of the normal run default to 3; the replace benchmark's rounds (each a full set of runs) to 1.
            int replaceRounds = rounds < 0 ? 1 : rounds;
            return new Options(items, scale, million, configs, jar, results, variants, rounds < 0 ? 3 : rounds, replace, oldJar,
                    replaceRounds, pollMillis, transfer, keepFiles,
                    dynamoJavaOpts, spark);
        }
    }

    private CopyBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.transfer()) {
            new TransferBench(options).run();
            return;
        }
        if (options.spark()) {
            new SparkBench(options).run();
            return;
        }
        new CopyBench(options).run();
    }

    private void run() throws Exception {
        report.line("# dynamo copy " + (options.replace() ? "--mode replace " : "") + "benchmark, "
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        report.line("");
        report.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "; two dynalite engines on 127.0.0.1 (in memory); " + options.items() + " items of about 1 KB.");
        report.line("");
        source = LocalDynamoDb.startDynalite("bench-source");
        target = LocalDynamoDb.startDynalite("bench-target");
        cpu = new CpuMeter(source.pid(), target.pid());
        try {
            load(options.items());
            // The launcher records its class-data archive on its first run; do that outside the measurements.
            ProcessMeter.Measurement warmUp = dynamo(List.of("describe", "-t", TABLE, "-e", source.env()), options.jar());
            if (warmUp.exitCode() != 0) {
                throw new IllegalStateException("./dynamo describe failed: " + warmUp.stderr());
            }
            if (options.replace()) {
                new ReplaceBench(this, options, report, source, target, cpu).run();
            } else if (!options.variants().isEmpty()) {
                compare();
            } else {
                everything();
            }
        } finally {
            source.close();
            target.close();
        }
        Files.createDirectories(options.results());
        Path file = options.results().resolve("latest.md");
        Files.writeString(file, report.text());
        System.out.println();
        System.out.println("Written to " + file);
    }

    /** The normal run: the ceiling, whole-table copies, paired rounds, selected copies, queries, and scaling if asked. */
    private void everything() throws Exception {
        ceiling();
        report.table("Whole-table copy", COPY_COLUMNS);
        dynamoCopy("dynamo copy --mode merge (empty target)", true, List.of("--mode", "merge"));
        dynamoCopy("dynamo copy --mode replace (full target)", false, List.of("--mode", "replace", "--backup", "none"));
        report.endTable();
        // One run against the best of four is one sample against the luckiest of four: add paired rounds.
        report.line("Whole-table copy in rounds: the ceiling's best configuration, then dynamo copy --mode merge.");
        report.line("");
        rounds(bestCeilingConfig, List.of(""));
        selectedCopies();
        queries();
        if (options.scale() || options.million()) {
            scaling();
        }
    }

    private void load(long n) throws Exception {
        BenchTables.recreate(source.client(), TABLE);
        long start = System.nanoTime();
        long bytes = BenchTables.load(source.client(), TABLE, n);
        double seconds = (System.nanoTime() - start) / 1e9;
        itemBytes = bytes / Math.max(1, n);
        report.line(String.format(Locale.ROOT, "Loaded %,d items (%.1f MB, %d bytes per item on average) in %.1f s (%.0f items/s).",
                n, bytes / 1e6, itemBytes, seconds, n / seconds));
        report.line("");
    }

    private void ceiling() throws Exception {
        report.table("Ceiling: hand-written SDK pipeline (Scan Limit 1000 → queue → BatchWriteItem)",
                CEILING_COLUMNS);
        warmUpCeiling();
        for (int[] config : options.ceilingConfigs()) {
            double rate = ceilingRun(config);
            if (rate > ceilingItemsPerSecond) {
                ceilingItemsPerSecond = rate;
                bestCeilingConfig = config;
            }
        }
        report.endTable();
        report.line(String.format(Locale.ROOT, "Ceiling (best): %.0f items/s.", ceilingItemsPerSecond));
        report.line("");
    }

    /** Warms up both servers' JIT (and the client's) on one unreported copy, so the first measured run is not penalised. */
    private void warmUpCeiling() throws Exception {
        BenchTables.recreate(target.client(), TABLE);
        int[] first = options.ceilingConfigs().get(0);
        CeilingCopy.copy(source.client(), TABLE, target.client(), TABLE, first[0], first[1]);
    }

    /** One measured ceiling copy into an empty target, reported as a row; returns its items/s. */
    private double ceilingRun(int[] config) throws Exception {
        BenchTables.recreate(target.client(), TABLE);
        CpuMeter.Reading before = cpu.read();
        long start = System.nanoTime();
        long written = CeilingCopy.copy(source.client(), TABLE, target.client(), TABLE, config[0], config[1]);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading used = cpu.read().minus(before);
        String verified = verify(options.items());
        double rate = written / seconds;
        report.row(config[0] + " x " + config[1], fmt(seconds), fmt0(rate), fmt(rate * itemBytes / 1e6), fmt(used.bench()),
                fmt(used.source()), fmt(used.target()), verified);
        return rate;
    }

    private static final List<String> CEILING_COLUMNS = List.of("segments x writers", "wall s", "items/s", "MB/s", "client CPU s",
            "source server CPU s", "target server CPU s", "verified");

    private static final List<String> COPY_COLUMNS = List.of("run", "wall s", "items/s", "MB/s", "x ceiling", "peak RSS MiB",
            "CPU s", "source server CPU s", "target server CPU s", "verified");

    private void dynamoCopy(String name, boolean emptyTarget, List<String> modeArgs) throws Exception {
        dynamoCopy(name, emptyTarget, modeArgs, options.jar(), ceilingItemsPerSecond);
    }

    /** One measured {@code dynamo copy}, reported as a row; returns its items/s (0 if it failed or copied wrong). */
    private double dynamoCopy(String name, boolean emptyTarget, List<String> modeArgs, Path jar, double ceiling) throws Exception {
        if (emptyTarget) {
            BenchTables.recreate(target.client(), TABLE);
        }
        List<String> args = new ArrayList<>(List.of("copy", "-t", TABLE, "--source", source.env(), "--target", target.env(),
                "--yes", "--no-progress"));
        args.addAll(modeArgs);
        CpuMeter.Reading before = cpu.read();
        ProcessMeter.Measurement run = dynamo(args, jar);
        CpuMeter.Reading used = cpu.read().minus(before);
        String verified = run.exitCode() == 0 ? verify(options.items()) : "exit " + run.exitCode() + ": " + run.stderr().trim();
        double rate = options.items() / run.wallSeconds();
        report.row(name, fmt(run.wallSeconds()), fmt0(rate), fmt(rate * itemBytes / 1e6), fmt(rate / ceiling),
                fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), fmt(used.source()), fmt(used.target()), verified);
        return verified.startsWith("ok") ? rate : 0;
    }

    /**
     * A/B mode ({@code --ab}): {@link #rounds} of the first ceiling configuration against every variant.
     * A variant is extra copy arguments, optionally after {@code JAR::} to run another build.
     */
    private void compare() throws Exception {
        for (String variant : options.variants()) {
            if (variant.contains("::")) {
                // Each build records its own class-data archive on its first run: not in a measurement.
                dynamo(List.of("describe", "-t", TABLE, "-e", source.env()), Path.of(variant.substring(0, variant.indexOf("::"))));
            }
        }
        warmUpCeiling();
        rounds(options.ceilingConfigs().get(0), options.variants());
    }

    /**
     * In each of {@code --rounds} rounds: the ceiling in configuration {@code config}, then every variant
     * of {@code dynamo copy --mode merge} into an empty target, each compared with that round's ceiling;
     * then, for each variant, the median of those ratios. The servers'
     * speed drifts by a quarter from one minute to the next on a shared machine: rounds interleave the two
     * sides so that drift hits both.
     */
    private void rounds(int[] config, List<String> variants) throws Exception {
        List<Double> ceilings = new ArrayList<>();
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1; round <= options.rounds(); round++) {
            report.table("Round " + round + ": ceiling " + config[0] + " x " + config[1], CEILING_COLUMNS);
            double ceiling = ceilingRun(config);
            ceilings.add(ceiling);
            report.endTable();
            report.table("Round " + round + ": dynamo copy --mode merge", COPY_COLUMNS);
            for (String variant : variants) {
                int split = variant.indexOf("::");
                Path jar = split < 0 ? options.jar() : Path.of(variant.substring(0, split));
                String arguments = split < 0 ? variant : variant.substring(split + 2);
                List<String> args = new ArrayList<>(List.of("--mode", "merge"));
                for (String word : arguments.trim().split("\\s+")) {
                    if (!word.isEmpty()) {
                        args.add(word);
                    }
                }
                String name = variant.isBlank() ? "(defaults)" : variant;
                rates.computeIfAbsent(name, k -> new ArrayList<>()).add(dynamoCopy(name, true, args, jar, ceiling));
            }
            report.endTable();
        }
        double ceiling = median(ceilings);
        for (Map.Entry<String, List<Double>> variant : rates.entrySet()) {
            double rate = median(variant.getValue());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < ceilings.size(); i++) {
                ratios.add(variant.getValue().get(i) / ceilings.get(i));
            }
            // Each ratio pairs two runs minutes apart; the servers drift between rounds, so the median of the
            // pairs is the figure, and the ratio of the two sides' medians (which mixes rounds) is shown beside it.
            report.line(String.format(Locale.ROOT, "%s over %d rounds: median of the rounds' ratios **%.2f×** (rounds: %s); "
                    + "median items/s %.0f against the ceiling's %.0f (%.2f×).", variant.getKey(), options.rounds(), median(ratios),
                    ratios.stream().map(CopyBench::fmt).collect(Collectors.joining(", ")), rate, ceiling, rate / ceiling));
            report.line("");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void selectedCopies() throws Exception {
        report.table("Copies of query-selected items", List.of("run", "items", "wall s", "items/s", "peak RSS MiB", "CPU s", "verified"));
        BenchTables.recreate(target.client(), TABLE);
        long hot = options.items() >= 4L * BenchItems.HOT_PARTITION_ITEMS ? BenchItems.HOT_PARTITION_ITEMS : 0;
        if (hot > 0) {
            ProcessMeter.Measurement run = dynamo(List.of("copy", "-t", TABLE, "--pk", BenchItems.HOT_PARTITION,
                    "--source", source.env(), "--target", target.env(), "--yes", "--no-progress"));
            String verified = run.exitCode() != 0 ? "exit " + run.exitCode() + ": " + run.stderr().trim()
                    : checkCount(queryCount(target.client(), "pk", BenchItems.HOT_PARTITION, null), hot);
            report.row("one partition (--pk " + BenchItems.HOT_PARTITION + ")", String.valueOf(hot), fmt(run.wallSeconds()),
                    fmt0(hot / run.wallSeconds()), fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), verified);
        }
        String status = BenchItems.STATUSES[1];
        long expected = queryCount(source.client(), "status", status, BenchItems.GSI_NAME);
        ProcessMeter.Measurement run = dynamo(List.of("copy", "-t", TABLE, "-i", BenchItems.GSI_NAME, "--pk", status,
                "--source", source.env(), "--target", target.env(), "--yes", "--no-progress"));
        String verified = run.exitCode() != 0 ? "exit " + run.exitCode() + ": " + run.stderr().trim()
                : checkCount(queryCount(target.client(), "status", status, BenchItems.GSI_NAME), expected);
        report.row("GSI query (-i " + BenchItems.GSI_NAME + " --pk " + status + ")", String.valueOf(expected),
                fmt(run.wallSeconds()), fmt0(expected / run.wallSeconds()), fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), verified);
        report.endTable();
    }

    private void queries() throws Exception {
        report.table("dynamo query, JVM start included (best of 5, warm)", List.of("command", "wall s", "peak RSS MiB", "CPU s"));
        String partition = options.items() >= 4L * BenchItems.HOT_PARTITION_ITEMS ? BenchItems.HOT_PARTITION : "customer#1";
        for (String flag : List.of("--count", "--head")) {
            ProcessMeter.Measurement best = null;
            for (int i = 0; i < 5; i++) {
                ProcessMeter.Measurement run = dynamo(List.of("query", "-t", TABLE, "--pk", partition, flag, "-e", source.env(),
                        "-o", "summary"));
                if (run.exitCode() != 0) {
                    throw new IllegalStateException("query failed: " + run.stderr());
                }
                if (best == null || run.wallSeconds() < best.wallSeconds()) {
                    best = run;
                }
            }
            report.row("query --pk " + partition + " " + flag, fmt(best.wallSeconds()), fmt0(best.peakRssMib()), fmt(best.cpuSeconds()));
        }
        report.endTable();
    }

    private void scaling() throws Exception {
        List<Long> sizes = new ArrayList<>(List.of(10_000L, 100_000L));
        if (options.million()) {
            sizes.add(1_000_000L);
        }
        report.table("Scaling: dynamo copy --mode merge into an empty target", List.of("items", "wall s", "items/s",
                "s per 100k items", "peak RSS MiB", "CPU s", "verified"));
        for (long n : sizes) {
            load(n);
            BenchTables.recreate(target.client(), TABLE);
            ProcessMeter.Measurement run = dynamo(List.of("copy", "-t", TABLE, "--source", source.env(), "--target", target.env(),
                    "--mode", "merge", "--yes", "--no-progress"));
            String verified = run.exitCode() == 0 ? verify(n) : "exit " + run.exitCode() + ": " + run.stderr().trim();
            report.row(String.format(Locale.ROOT, "%,d", n), fmt(run.wallSeconds()), fmt0(n / run.wallSeconds()),
                    fmt(run.wallSeconds() / n * 100_000), fmt0(run.peakRssMib()), fmt(run.cpuSeconds()), verified);
        }
        report.endTable();
    }

    private ProcessMeter.Measurement dynamo(List<String> args) throws Exception {
        return dynamo(args, options.jar());
    }

    ProcessMeter.Measurement dynamo(List<String> args, Path jar) throws Exception {
        // As users run it: the ./dynamo launcher (its JVM options, its class-data archive) on the jar.
        List<String> command = new ArrayList<>(List.of("./dynamo"));
        command.addAll(args);
        System.out.println("$ " + (jar.equals(options.jar()) ? "" : "DYNAMO_JAR=" + jar + " ") + "dynamo " + String.join(" ", args));
        return ProcessMeter.run(command, Map.of("DYNAMO_JAR", jar.toAbsolutePath().toString()));
    }

    /** The target's count, and a random sample of items compared attribute by attribute with the source. */
    private String verify(long expected) throws Exception {
        long count = BenchTables.count(target.client(), TABLE);
        if (count != expected) {
            return "FAILED: " + count + " items, expected " + expected;
        }
        Random random = new Random(expected);
        for (int i = 0; i < SAMPLE_ITEMS; i++) {
            Map<String, AttributeValue> item = BenchItems.item(Math.floorMod(random.nextLong(), expected), expected);
            Map<String, AttributeValue> key = Map.of("pk", item.get("pk"), "sk", item.get("sk"));
            Map<String, AttributeValue> fromSource = source.client().getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item();
            Map<String, AttributeValue> fromTarget = target.client().getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item();
            if (!sameItem(fromSource, fromTarget) || !sameItem(item, fromTarget)) {
                return "FAILED: item " + key + " differs";
            }
        }
        return "ok (" + count + " items, " + SAMPLE_ITEMS + " compared)";
    }

    static boolean sameItem(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a == null || b == null || !a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, AttributeValue> entry : a.entrySet()) {
            if (!AttributeValues.same(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static long queryCount(DynamoDbClient client, String attribute, String value, String index) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = client.query(b -> b.tableName(TABLE).indexName(index).keyConditionExpression("#k = :v")
                    .expressionAttributeNames(Map.of("#k", attribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value)))
                    .select(Select.COUNT).exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static String checkCount(long actual, long expected) {
        return actual == expected ? "ok (" + actual + " items)" : "FAILED: " + actual + " items, expected " + expected;
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String fmt0(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** Markdown output, echoed to stdout as it is produced. */
    static final class Report {
        private final StringBuilder text = new StringBuilder();

        void line(String line) {
            System.out.println(line);
            text.append(line).append('\n');
        }

        void table(String title, List<String> columns) {
            line("## " + title);
            line("");
            line("| " + String.join(" | ", columns) + " |");
            line("|" + "---|".repeat(columns.size()));
        }

        void row(String... cells) {
            line("| " + String.join(" | ", cells) + " |");
        }

        void endTable() {
            line("");
        }

        String text() {
            return text.toString();
        }
    }
}
