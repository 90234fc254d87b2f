package dev.dynamo.bench;

import static dev.dynamo.bench.CopyBench.TABLE;
import static dev.dynamo.bench.CopyBench.fmt;
import static dev.dynamo.bench.CopyBench.fmt0;

import dev.dynamo.testing.LocalDynamoDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The replace benchmark ({@code bench/run --replace}): {@code dynamo copy --mode replace} by difference (issue 15,
 * the jar under test) against the old replace that emptied the target and then wrote every item (an older jar,
 * {@code --old-jar}), on the same two engines in the same run, over a target that is (a) an exact copy of the
 * source, (b) the source with 1% of the items changed, missing or extra, (c) empty; plus (d) merge with and
 * without {@code --skip-unchanged} and (e) replace {@code --rewrite-all}, both over (b)'s target.
 *
 * <p>Each run gets a fresh target table loaded to its state (not measured). While {@code dynamo copy} runs, a
 * thread counts the target's items (a sequential Select COUNT scan, {@code --poll-ms} apart) and keeps the
 * lowest count: the old replace empties the target, the new one never does. Every end state is verified.
 */
final class ReplaceBench {
    private static final int SAMPLE_ITEMS = 300;
    private static final Pattern RE_READ_BY_KEY = Pattern.compile("by key \\(BatchGetItem\\)");
    private static final Pattern RE_READ_BY_SCAN = Pattern.compile("by a second scan");

    /** What the target holds before a run. */
    enum State {
        UNCHANGED("unchanged target"), ONE_PERCENT("1% changed"), EMPTY("empty target");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    /**
     * One measured run: its label, whether it runs the old jar, the target's state, the mode arguments, whether the
     * target's extra items must remain (merge), the items the summary should report written and deleted, and the
     * unchanged count it should report (-1: not checked).
     */
    private record Run(String id, String label, boolean old, State state, List<String> modeArgs, boolean extrasRemain,
            long expectWritten, long expectDeleted, long expectUnchanged) {
    }

    /** A run's figures. */
    private record Result(Run run, double wall, double readUnits, double writeUnits, boolean ok) {
    }

    private final CopyBench bench;
    private final CopyBench.Options options;
    private final CopyBench.Report report;
    private final LocalDynamoDb source;
    private final LocalDynamoDb target;
    private final CpuMeter cpu;
    private final long n;
    private final long extras;
    private final List<Long> changed = new ArrayList<>();
    private final List<Long> missing = new ArrayList<>();

    ReplaceBench(CopyBench bench, CopyBench.Options options, CopyBench.Report report, LocalDynamoDb source,
            LocalDynamoDb target, CpuMeter cpu) {
        this.bench = bench;
        this.options = options;
        this.report = report;
        this.source = source;
        this.target = target;
        this.cpu = cpu;
        this.n = options.items();
        this.extras = Math.max(1, n / 400);
        for (long i = 0; i < n; i++) {
            if (isChanged(i)) {
                changed.add(i);
            } else if (isMissing(i)) {
                missing.add(i);
            }
        }
    }

    /** 0.5% of the items have other values in the target. */
    private static boolean isChanged(long i) {
        return i % 200 == 7;
    }

    /** 0.25% of the items are missing from the target. */
    private static boolean isMissing(long i) {
        return i % 400 == 3;
    }

    /** A changed item: same key and indexed attributes, another count and payload (same size). */
    private Map<String, AttributeValue> changedItem(long i) {
        Map<String, AttributeValue> item = new HashMap<>(BenchItems.item(i, n));
        item.put("count", AttributeValue.fromN(Long.toString(i + 1_000_000_000L)));
        String payload = item.get("payload").s();
        item.put("payload", AttributeValue.fromS("y" + payload.substring(1)));
        return item;
    }

    /** The target's items before a run in state {@code state}, by index (null: none); extras are items n..n+extras-1. */
    private Map<String, AttributeValue> targetItem(State state, long i) {
        return switch (state) {
            case UNCHANGED -> i < n ? BenchItems.item(i, n) : null;
            case ONE_PERCENT -> i >= n ? BenchItems.item(i, n) : isChanged(i) ? changedItem(i) : isMissing(i) ? null
                    : BenchItems.item(i, n);
            case EMPTY -> null;
        };
    }

    private long itemsBefore(State state) {
        return switch (state) {
            case UNCHANGED -> n;
            case ONE_PERCENT -> n - missing.size() + extras;
            case EMPTY -> 0;
        };
    }

    private List<Run> runs(boolean oldFirst) {
        long differ = changed.size() + missing.size();
        List<String> replace = List.of("--mode", "replace", "--backup", "none");
        List<Run> runs = new ArrayList<>();
        for (State state : State.values()) {
            String id = switch (state) {
                case UNCHANGED -> "a";
                case ONE_PERCENT -> "b";
                case EMPTY -> "c";
            };
            Run old = new Run(id, "(" + id + ") " + state.label + ": old replace", true, state, replace, false, n, itemsBefore(state), -1);
            Run now = new Run(id, "(" + id + ") " + state.label + ": replace", false, state, replace, false,
                    state == State.UNCHANGED ? 0 : state == State.EMPTY ? n : differ,
                    state == State.ONE_PERCENT ? extras : 0,
                    state == State.UNCHANGED ? n : state == State.EMPTY ? 0 : n - differ);
            runs.addAll(oldFirst ? List.of(old, now) : List.of(now, old));
        }
        runs.add(new Run("b", "(d) 1% changed: merge --skip-unchanged", false, State.ONE_PERCENT,
                List.of("--mode", "merge", "--skip-unchanged"), true, differ, 0, n - differ));
        runs.add(new Run("b", "(d) 1% changed: merge", false, State.ONE_PERCENT, List.of("--mode", "merge"), true, n, 0, -1));
        runs.add(new Run("b", "(e) 1% changed: replace --rewrite-all", false, State.ONE_PERCENT,
                List.of("--mode", "replace", "--rewrite-all", "--backup", "none"), false, n, extras, -1));
        return runs;
    }

    void run() throws Exception {
        Path oldJar = options.oldJar();
        if (!Files.isRegularFile(oldJar)) {
            throw new IllegalStateException(oldJar + " not found: bench/run --replace builds it (see bench/README.md), or give --old-jar");
        }
        Path commitFile = oldJar.resolveSibling("COMMIT");
        String oldName = Files.isRegularFile(commitFile) ? oldJar + " (built from " + Files.readString(commitFile).strip() + ")" : oldJar.toString();
        report.line("Replace benchmark. New: " + options.jar() + ". Old (empties the target, then writes every item): " + oldName + ".");
        report.line("");
        report.line(String.format(Locale.ROOT, "Targets: (a) an exact copy of the source; (b) 1%% changed: %,d items with other values "
                + "(0.5%%), %,d missing from the target (0.25%%), %,d extra in the target (0.25%%); (c) empty. (d) and (e) run over "
                + "(b)'s target. Each run gets a fresh target table loaded to its state (not measured); replace runs use "
                + "`--backup none`; every run `--yes --no-progress --summary json -v`.", changed.size(), missing.size(), extras));
        report.line("");
        // Each build records its own class-data archive on its first run: not in a measurement.
        ProcessMeter.Measurement describe = bench.dynamo(List.of("describe", "-t", TABLE, "-e", source.env()), oldJar);
        if (describe.exitCode() != 0) {
            throw new IllegalStateException("old jar: ./dynamo describe failed: " + describe.stderr());
        }
        // Warm both engines' JIT (scan on the source, writes on the target) on one unreported copy.
        BenchTables.recreate(target.client(), TABLE);
        int[] first = options.ceilingConfigs().get(0);
        CeilingCopy.copy(source.client(), TABLE, target.client(), TABLE, first[0], first[1]);

        List<List<Result>> rounds = new ArrayList<>();
        for (int round = 1; round <= options.replaceRounds(); round++) {
            report.table(options.replaceRounds() == 1 ? "Replace by difference against the old replace"
                    : "Round " + round + ": replace by difference against the old replace", COLUMNS);
            List<Result> results = new ArrayList<>();
            Map<String, Result> oldResults = new HashMap<>();
            // Alternate which jar goes first in each pair, so that a drift of the engines' speed hits both.
            List<Run> runs = runs(round % 2 == 1);
            List<String[]> rows = new ArrayList<>();
            for (Run run : runs) {
                Result result = measure(run, rows);
                results.add(result);
                if (run.old()) {
                    oldResults.put(run.id(), result);
                }
            }
            // The ratio columns need the old run of the same state, which may come after the new one: fill them in now.
            for (int i = 0; i < runs.size(); i++) {
                Result result = results.get(i);
                Result old = oldResults.get(result.run().id());
                String[] row = rows.get(i);
                if (result.run().old()) {
                    row[3] = "(base)";
                    row[7] = "(base)";
                } else {
                    row[3] = ratio(result.ok() && old != null && old.ok(), result.wall(), old == null ? 0 : old.wall());
                    row[7] = ratio(result.ok() && old != null && old.ok(), result.writeUnits(), old == null ? 0 : old.writeUnits());
                }
                report.row(row);
            }
            report.endTable();
            rounds.add(results);
        }
        summary(rounds);
    }

    private static final List<String> COLUMNS = List.of("run", "target items before", "wall s", "wall vs old replace",
            "copy s (summary)", "read units", "write units", "write units vs old replace", "written", "deleted", "unchanged",
            "differing items re-read by", "lowest target count during run (polls)", "peak RSS MiB", "CPU s",
            "source server CPU s", "target server CPU s", "verified");

    /** Resets the target to the run's state, runs it with the target polled, verifies; adds its row (ratios left blank). */
    private Result measure(Run run, List<String[]> rows) throws Exception {
        DynamoDbClient targetClient = target.client();
        BenchTables.recreate(targetClient, TABLE);
        long before = itemsBefore(run.state());
        if (before > 0) {
            long loadStart = System.nanoTime();
            BenchTables.load(targetClient, TABLE, n + extras, i -> targetItem(run.state(), i));
            System.out.printf(Locale.ROOT, "target loaded to '%s' in %.1f s%n", run.state().label, (System.nanoTime() - loadStart) / 1e9);
        }
        long counted = BenchTables.count(targetClient, TABLE);
        if (counted != before) {
            throw new IllegalStateException("the target was loaded with " + counted + " items, expected " + before);
        }
        List<String> args = new ArrayList<>(List.of("copy", "-t", TABLE, "--source", source.env(), "--target", target.env(),
                "--yes", "--no-progress", "--summary", "json", "-v"));
        args.addAll(run.modeArgs());
        ProcessMeter.Measurement measured;
        CpuMeter.Reading used;
        Poller poller = new Poller(targetClient, options.pollMillis());
        try (poller) {
            CpuMeter.Reading start = cpu.read();
            measured = bench.dynamo(args, run.old() ? options.oldJar() : options.jar());
            used = cpu.read().minus(start);
        }
        String out = measured.stdout();
        double copySeconds = number(out, "elapsedSeconds");
        double readUnits = number(out, "readUnits");
        double writeUnits = number(out, "writeUnits");
        long written = (long) number(out, "written");
        long deleted = (long) number(out, "deleted");
        double unchanged = number(out, "unchanged");
        boolean measuredUnits = out.contains("\"writeUnitsMeasured\":true");
        String verified;
        if (measured.exitCode() != 0) {
            verified = "FAILED: exit " + measured.exitCode() + ": " + oneLine(measured.stderr());
        } else if (Double.isNaN(readUnits)) {
            verified = "FAILED: no summary JSON on stdout: " + oneLine(out);
        } else {
            verified = verify(run);
            List<String> notes = new ArrayList<>();
            if (written != run.expectWritten()) {
                notes.add("written " + written + ", expected " + run.expectWritten());
            }
            if (deleted != run.expectDeleted()) {
                notes.add("deleted " + deleted + ", expected " + run.expectDeleted());
            }
            if (run.expectUnchanged() >= 0 && (long) unchanged != run.expectUnchanged()) {
                notes.add("unchanged " + (Double.isNaN(unchanged) ? "absent" : String.valueOf((long) unchanged)) + ", expected "
                        + run.expectUnchanged());
            }
            if (!run.old() && run.state() == State.UNCHANGED && !out.contains("\"alreadyEqual\":true")) {
                notes.add("not alreadyEqual");
            }
            if (!notes.isEmpty()) {
                verified += "; summary: " + String.join(", ", notes);
            }
        }
        boolean ok = verified.startsWith("ok");
        String reRead = RE_READ_BY_KEY.matcher(measured.stderr()).find() ? "by key (BatchGetItem)"
                : RE_READ_BY_SCAN.matcher(measured.stderr()).find() ? "second scan" : "—";
        rows.add(new String[] {run.label(), String.format(Locale.ROOT, "%,d", before), fmt(measured.wallSeconds()), "—",
                Double.isNaN(copySeconds) ? "—" : fmt(copySeconds), units(readUnits, true), units(writeUnits, measuredUnits), "—",
                countCell(written, out), countCell(deleted, out), Double.isNaN(unchanged) ? "—" : String.format(Locale.ROOT, "%,d", (long) unchanged),
                reRead, poller.describe(), fmt0(measured.peakRssMib()), fmt(measured.cpuSeconds()), fmt(used.source()),
                fmt(used.target()), verified});
        return new Result(run, measured.wallSeconds(), readUnits, writeUnits, ok);
    }

    /** The target's count, 300 random items compared with the source, and every item (b) changed, removed or added. */
    private String verify(Run run) throws Exception {
        DynamoDbClient targetClient = target.client();
        long expected = run.extrasRemain() ? n + extras : n;
        long count = BenchTables.count(targetClient, TABLE);
        if (count != expected) {
            return "FAILED: " + count + " items, expected " + expected;
        }
        Random random = new Random(n);
        for (int i = 0; i < SAMPLE_ITEMS; i++) {
            Map<String, AttributeValue> item = BenchItems.item(Math.floorMod(random.nextLong(), n), n);
            Map<String, AttributeValue> key = key(item);
            Map<String, AttributeValue> fromSource = source.client().getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item();
            Map<String, AttributeValue> fromTarget = targetClient.getItem(b -> b.tableName(TABLE).key(key).consistentRead(true)).item();
            if (!CopyBench.sameItem(fromSource, fromTarget) || !CopyBench.sameItem(item, fromTarget)) {
                return "FAILED: item " + key + " differs";
            }
        }
        String checked = SAMPLE_ITEMS + " compared";
        if (run.state() == State.ONE_PERCENT) {
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> expectedItems = new LinkedHashMap<>();
            for (List<Long> indexes : List.of(changed, missing)) {
                for (long i : indexes) {
                    Map<String, AttributeValue> item = BenchItems.item(i, n);
                    expectedItems.put(key(item), item);
                }
            }
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found =
                    BenchTables.get(targetClient, TABLE, new ArrayList<>(expectedItems.keySet()));
            for (Map.Entry<Map<String, AttributeValue>, Map<String, AttributeValue>> entry : expectedItems.entrySet()) {
                if (!CopyBench.sameItem(entry.getValue(), found.get(entry.getKey()))) {
                    return "FAILED: item " + entry.getKey() + " (changed or missing before) is "
                            + (found.containsKey(entry.getKey()) ? "not the source's" : "absent");
                }
            }
            List<Map<String, AttributeValue>> extraKeys = new ArrayList<>();
            for (long i = n; i < n + extras; i++) {
                extraKeys.add(key(BenchItems.item(i, n)));
            }
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> extraFound = BenchTables.get(targetClient, TABLE, extraKeys);
            if (run.extrasRemain()) {
                for (long i = n; i < n + extras; i++) {
                    Map<String, AttributeValue> item = BenchItems.item(i, n);
                    if (!CopyBench.sameItem(item, extraFound.get(key(item)))) {
                        return "FAILED: extra item " + key(item) + " did not remain as it was";
                    }
                }
            } else if (!extraFound.isEmpty()) {
                return "FAILED: " + extraFound.size() + " of the target's " + extras + " extra items remain";
            }
            checked += String.format(Locale.ROOT, ", the %,d changed or missing items equal, the %,d extras %s",
                    expectedItems.size(), extras, run.extrasRemain() ? "kept" : "gone");
        }
        return "ok (" + count + " items, " + checked + ")";
    }

    /** After the rounds: medians of the ratios to the old replace, and merge --skip-unchanged against plain merge. */
    private void summary(List<List<Result>> rounds) {
        int runs = rounds.get(0).size();
        boolean several = rounds.size() > 1;
        report.line("Ratios: each run against the old replace over the same target state in the same round ((d) and (e) "
                + "against (b)'s old replace), below 1 is better" + (several ? "; medians over " + rounds.size() + " rounds." : "."));
        report.line("");
        report.table("Summary", List.of("run", "wall vs old replace", "write units vs old replace", "read units vs old replace"));
        for (int r = 0; r < runs; r++) {
            Run run = rounds.get(0).get(r).run();
            if (run.old()) {
                continue;
            }
            List<Double> wall = new ArrayList<>();
            List<Double> write = new ArrayList<>();
            List<Double> read = new ArrayList<>();
            for (List<Result> round : rounds) {
                Result result = find(round, run.label());
                Result old = round.stream().filter(x -> x.run().old() && x.run().id().equals(run.id())).findFirst().orElse(null);
                if (result != null && result.ok() && old != null && old.ok()) {
                    wall.add(result.wall() / old.wall());
                    write.add(old.writeUnits() > 0 ? result.writeUnits() / old.writeUnits() : Double.NaN);
                    read.add(old.readUnits() > 0 ? result.readUnits() / old.readUnits() : Double.NaN);
                }
            }
            report.row(run.label(), median(wall), median(write), median(read));
        }
        report.endTable();
        List<Double> wall = new ArrayList<>();
        List<Double> write = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        for (List<Result> round : rounds) {
            Result skip = find(round, "(d) 1% changed: merge --skip-unchanged");
            Result plain = find(round, "(d) 1% changed: merge");
            if (skip != null && plain != null && skip.ok() && plain.ok()) {
                wall.add(skip.wall() / plain.wall());
                write.add(plain.writeUnits() > 0 ? skip.writeUnits() / plain.writeUnits() : Double.NaN);
                read.add(plain.readUnits() > 0 ? skip.readUnits() / plain.readUnits() : Double.NaN);
            }
        }
        report.line("merge --skip-unchanged against plain merge (1% changed" + (several ? ", medians over the rounds" : "") + "): wall "
                + median(wall) + ", write units " + median(write) + ", read units " + median(read) + ".");
        report.line("");
        if (options.pollMillis() > 0) {
            report.line("The lowest count comes from a Select COUNT scan of the whole target repeated " + options.pollMillis()
                    + " ms apart during the run (not a snapshot: items deleted or written while it runs may or may not be counted). "
                    + "The scans load the target engine, which shares the cores; bench/run --replace --poll-ms 0 measures without them.");
            report.line("");
        }
    }

    private static Result find(List<Result> round, String label) {
        return round.stream().filter(x -> x.run().label().equals(label)).findFirst().orElse(null);
    }

    private static String median(List<Double> values) {
        List<Double> known = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (known.isEmpty()) {
            return "—";
        }
        int size = known.size();
        double median = size % 2 == 1 ? known.get(size / 2) : (known.get(size / 2 - 1) + known.get(size / 2)) / 2;
        return String.format(Locale.ROOT, "%.2f×", median);
    }

    private static String ratio(boolean known, double value, double old) {
        return known && old > 0 && !Double.isNaN(value) && !Double.isNaN(old) ? String.format(Locale.ROOT, "%.2f×", value / old) : "—";
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    /** A number field of the summary JSON (one flat line), or NaN when absent. */
    private static double number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private static String units(double units, boolean measured) {
        return Double.isNaN(units) ? "—" : (measured ? "" : "~") + String.format(Locale.ROOT, "%,.0f", units);
    }

    private static String countCell(long value, String json) {
        return json.contains("\"written\"") ? String.format(Locale.ROOT, "%,d", value) : "—";
    }

    private static String oneLine(String text) {
        String line = text.strip().replace('\n', ' ').replace("|", "\\|");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** Counts the target again and again while a copy runs, keeping the lowest count. */
    private static final class Poller implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private long lowest = Long.MAX_VALUE;
        private int polls;
        private String error;

        Poller(DynamoDbClient client, long pauseMillis) {
            if (pauseMillis <= 0) {
                thread = null;
                return;
            }
            thread = new Thread(() -> {
                while (!stop) {
                    try {
                        long count = BenchTables.countSequentially(client, TABLE);
                        synchronized (this) {
                            lowest = Math.min(lowest, count);
                            polls++;
                        }
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        synchronized (this) {
                            error = e.toString();
                        }
                        return;
                    }
                }
            }, "target-poller");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops polling after the count in progress (it ran during the copy, so it counts). */
        @Override
        public void close() {
            stop = true;
            if (thread != null) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        synchronized String describe() {
            if (thread == null) {
                return "(not polled)";
            }
            if (error != null) {
                return "poll failed: " + oneLine(error);
            }
            return polls == 0 ? "(no poll)" : String.format(Locale.ROOT, "%,d (%d)", lowest, polls);
        }
    }
}
