package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.b;
import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * {@code dynamo copy --mode replace} by difference: both tables are read and matched by key, and only
 * the items missing from the target or different in it (by value: {@code 1.50} = {@code 1.5}) are
 * written, then the target's items whose key the source lacks are deleted; the target is never emptied.
 * An equal target is neither backed up nor touched. {@code --rewrite-all} writes every source item
 * (still without emptying), {@code --mode merge --skip-unchanged} writes only the difference and
 * deletes nothing, and a selection ({@code --pk}) is replaced by difference inside itself only.
 *
 * <p>The target is reached through a {@link FaultProxy} that injects no fault but counts the item
 * writes the engine acknowledged ({@link WriteCounter}); while a copy runs, another thread counts the
 * target's items straight from the engine ({@link CountPoller}). Each test makes its own tables: the
 * source on one engine, the target on the second.
 */
@EngineTest
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ReplaceByDifferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    /** Slack (±10%) for the proxy's write counts in the 10,000-item case; the summary's counters are checked exactly. */
    private static final double WRITE_COUNT_TOLERANCE = 0.10;

    @TempDir
    Path home;

    @TempDir
    Path backups;

    @TempDir
    Path work;

    @Test
    void replaceByDifference_writesOnlyWhatDiffers(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        // Ten pages of 1,000 on each side to match (it was 20,000: twice the engine's work for the same proof).
        int sourceCount = 10_000;
        Differences differences = new Differences(200, 50, 100, 100);
        List<Map<String, AttributeValue>> source = orders(sourceCount);
        Differed target = differ(source, differences, j -> key("extra#" + j % 7, j));
        Tables tables = Tables.load(db, source, other, target.items());
        long held = sourceCount - differences.missing() + differences.extras();
        // The respelled items (numbers written otherwise, equal by value) are unchanged.
        long unchanged = sourceCount - differences.changed() - differences.missing();
        long toWrite = differences.changed() + differences.missing();
        long toDelete = differences.extras();
        assertThat(verifyCounts(tables)).as("setup: what dynamo verify finds between the tables before the copy")
                .isEqualTo(verifyCounts(differences.missing(), differences.extras(), differences.changed(), unchanged));

        WriteCounter writes = new WriteCounter();
        CommandResult result;
        CountPoller poller;
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy(writes.policy());
                CountPoller polling = CountPoller.start(other.client(), tables.target())) {
            poller = polling;
            assertThat(poller.awaitFirst()).as("items the target held before the copy").isEqualTo(held);
            result = copy(tables, proxy.env(), "--mode", "replace", "--yes");
            poller.close();
        }

        JsonNode summary = summary(result);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(counters(summary, "written", "deleted", "unchanged")).as("summary counters of %s", result)
                .isEqualTo(counters(toWrite, toDelete, unchanged));
        softly.assertThat(writes.puts()).as("puts the target acknowledged (%s)", writes)
                .isBetween(Math.round(toWrite * (1 - WRITE_COUNT_TOLERANCE)), Math.round(toWrite * (1 + WRITE_COUNT_TOLERANCE)));
        softly.assertThat(writes.deletes()).as("deletes the target acknowledged (%s)", writes)
                .isBetween(Math.round(toDelete * (1 - WRITE_COUNT_TOLERANCE)), Math.round(toDelete * (1 + WRITE_COUNT_TOLERANCE)));
        softly.assertThat(writes.errorAnswers()).as("write calls the target answered with an error (%s)", writes).isZero();
        softly.assertThat(poller.samples()).as("counts of the target taken while the copy ran").isGreaterThanOrEqualTo(2);
        softly.assertThat(poller.least()).as("the fewest items the target held during the copy (it held %,d; only the %,d extras"
                + " may go, and only at the end)", held, toDelete).isGreaterThanOrEqualTo(held - toDelete);
        softly.assertAll();
        assertTableHolds(other, tables.target(), CopyFixtures.byKey(source, KEYS), "the target after the copy");
        assertThat(verifyCounts(tables)).as("dynamo verify after the copy")
                .isEqualTo(verifyCounts(0, 0, 0, sourceCount));
    }

    @Test
    void anEqualTarget_isNotTouched_orBackedUp(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        int sourceCount = 1_000;
        // Equal by value: some items have their numbers written otherwise (12.50 for 12.5), nothing else differs.
        Differences differences = new Differences(0, 20, 0, 0);
        List<Map<String, AttributeValue>> source = orders(sourceCount);
        Tables tables = Tables.load(db, source, other, differ(source, differences, j -> key("never", j)).items());
        Map<String, Map<String, AttributeValue>> before = CopyFixtures.itemsByKey(other.client(), tables.target(), KEYS);

        WriteCounter writes = new WriteCounter();
        CommandResult result;
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy(writes.policy())) {
            result = copy(tables, proxy.env(), "--mode", "replace", "--yes", "--backup", "file");
        }

        JsonNode summary = summary(result);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.stdout() + result.stderr()).as("what the copy says of an equal target: %s", result)
                .containsIgnoringCase("already equal");
        softly.assertThat(counters(summary, "written", "deleted", "unchanged")).as("summary counters of %s", result)
                .isEqualTo(counters(0, 0, sourceCount));
        softly.assertThat(writes.puts()).as("puts the target acknowledged (%s)", writes).isZero();
        softly.assertThat(writes.deletes()).as("deletes the target acknowledged (%s)", writes).isZero();
        softly.assertThat(writes.errorAnswers()).as("write calls the target answered with an error (%s)", writes).isZero();
        softly.assertThat(backups).as("--backup-dir after copying onto an equal target (no backup)").isEmptyDirectory();
        softly.assertThat(summary.path("backup").isNull() || summary.path("backup").isMissingNode())
                .as("no backup in the summary %s", summary).isTrue();
        softly.assertAll();
        assertTableHolds(other, tables.target(), before, "the equal target after the copy");
    }

    @Test
    void rewriteAll_writesEveryItem_withoutEmptying(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        int sourceCount = 5_000;
        Differences differences = new Differences(25, 10, 15, 20);
        List<Map<String, AttributeValue>> source = orders(sourceCount);
        Tables tables = Tables.load(db, source, other, differ(source, differences, j -> key("extra#" + j % 3, j)).items());
        long held = sourceCount - differences.missing() + differences.extras();
        long toDelete = differences.extras();

        WriteCounter writes = new WriteCounter();
        CommandResult result;
        CountPoller poller;
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy(writes.policy());
                CountPoller polling = CountPoller.start(other.client(), tables.target())) {
            poller = polling;
            assertThat(poller.awaitFirst()).as("items the target held before the copy").isEqualTo(held);
            result = copy(tables, proxy.env(), "--mode", "replace", "--yes", "--rewrite-all");
            poller.close();
        }

        JsonNode summary = summary(result);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(counters(summary, "written", "deleted")).as("summary counters of %s", result)
                .isEqualTo(counters(sourceCount, toDelete));
        softly.assertThat(writes.puts()).as("puts the target acknowledged: every source item (%s)", writes).isEqualTo(sourceCount);
        softly.assertThat(writes.deletes()).as("deletes the target acknowledged: the extras only (%s)", writes).isEqualTo(toDelete);
        softly.assertThat(writes.errorAnswers()).as("write calls the target answered with an error (%s)", writes).isZero();
        softly.assertThat(poller.samples()).as("counts of the target taken while the copy ran").isGreaterThanOrEqualTo(2);
        softly.assertThat(poller.least()).as("the fewest items the target held during the copy (it held %,d; only the %,d extras"
                + " may go)", held, toDelete).isGreaterThanOrEqualTo(held - toDelete);
        softly.assertAll();
        assertTableHolds(other, tables.target(), CopyFixtures.byKey(source, KEYS), "the target after --rewrite-all");
    }

    @Test
    void mergeSkipUnchanged_writesOnlyMissingAndDifferent(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        int sourceCount = 2_000;
        Differences differences = new Differences(30, 10, 20, 10);
        List<Map<String, AttributeValue>> source = orders(sourceCount);
        Differed target = differ(source, differences, j -> key("extra#" + j % 3, j));
        Tables tables = Tables.load(db, source, other, target.items());
        long toWrite = differences.changed() + differences.missing();
        long unchanged = sourceCount - differences.changed() - differences.missing();

        WriteCounter writes = new WriteCounter();
        CommandResult result;
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy(writes.policy())) {
            result = copy(tables, proxy.env(), "--mode", "merge", "--skip-unchanged");
        }

        JsonNode summary = summary(result);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(counters(summary, "written", "deleted", "unchanged")).as("summary counters of %s", result)
                .isEqualTo(counters(toWrite, 0, unchanged));
        softly.assertThat(writes.puts()).as("puts the target acknowledged: the missing and the different (%s)", writes)
                .isEqualTo(toWrite);
        softly.assertThat(writes.deletes()).as("deletes the target acknowledged (%s)", writes).isZero();
        softly.assertThat(writes.errorAnswers()).as("write calls the target answered with an error (%s)", writes).isZero();
        softly.assertAll();
        Map<String, Map<String, AttributeValue>> expected = CopyFixtures.byKey(source, KEYS);
        expected.putAll(CopyFixtures.byKey(target.extras(), KEYS));
        assertTableHolds(other, tables.target(), expected, "the target after merge --skip-unchanged (the source's items and the extras)");
    }

    @Test
    void selectionReplaceByDifference_writesAndDeletesOnlyThePartitionsDifferences(LocalDynamoDb db,
            @LocalEngineExtension.Second LocalDynamoDb other) throws Exception {
        String selected = "customer#selected";
        List<Map<String, AttributeValue>> inside = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inside.add(everyType(key(selected, i), i));
        }
        List<Map<String, AttributeValue>> outside = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            outside.add(everyType(key("customer#" + i % 8, i), i));
        }
        Differences insideDifferences = new Differences(10, 5, 5, 5);
        Differences outsideDifferences = new Differences(7, 3, 4, 3);
        Differed insideTarget = differ(inside, insideDifferences, j -> key(selected, 100_000 + j));
        Differed outsideTarget = differ(outside, outsideDifferences, j -> key("customer#" + j % 8, 100_000 + j));
        List<Map<String, AttributeValue>> source = new ArrayList<>(inside);
        source.addAll(outside);
        List<Map<String, AttributeValue>> targetItems = new ArrayList<>(insideTarget.items());
        targetItems.addAll(outsideTarget.items());
        Tables tables = Tables.load(db, source, other, targetItems);
        long toWrite = insideDifferences.changed() + insideDifferences.missing();
        long toDelete = insideDifferences.extras();
        long unchanged = inside.size() - insideDifferences.changed() - insideDifferences.missing();

        WriteCounter writes = new WriteCounter();
        CommandResult result;
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).policy(writes.policy())) {
            result = copy(tables, proxy.env(), "--mode", "replace", "--yes", "--pk", selected);
        }

        JsonNode summary = summary(result);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(counters(summary, "written", "deleted", "unchanged")).as("summary counters of %s", result)
                .isEqualTo(counters(toWrite, toDelete, unchanged));
        softly.assertThat(writes.puts()).as("puts the target acknowledged: the partition's missing and different (%s)", writes)
                .isEqualTo(toWrite);
        softly.assertThat(writes.deletes()).as("deletes the target acknowledged: the partition's extras (%s)", writes)
                .isEqualTo(toDelete);
        softly.assertThat(writes.errorAnswers()).as("write calls the target answered with an error (%s)", writes).isZero();
        softly.assertAll();
        // The selected partition as the source has it; every other partition exactly as the target had it, differences and all.
        Map<String, Map<String, AttributeValue>> expected = CopyFixtures.byKey(outsideTarget.items(), KEYS);
        expected.putAll(CopyFixtures.byKey(inside, KEYS));
        assertTableHolds(other, tables.target(), expected, "the target after replacing partition " + selected);
    }

    // ---- fixtures ----

    /**
     * How a target is made to differ from its source.
     *
     * @param changed   items whose values differ for real (one attribute each, of every type in turn)
     * @param respelled items whose numbers are written otherwise but are equal by value ({@code 12.50} for {@code 12.5})
     * @param missing   source items the target lacks
     * @param extras    items only the target has
     */
    record Differences(int changed, int respelled, int missing, int extras) {
    }

    /** The target's items (extras included) and, apart, the extras. */
    record Differed(List<Map<String, AttributeValue>> items, List<Map<String, AttributeValue>> extras) {
    }

    /** A source table on one engine and a target table on another, both keyed pk (S) + sk (N). */
    record Tables(LocalDynamoDb sourceEngine, String source, LocalDynamoDb targetEngine, String target) {
        static Tables load(LocalDynamoDb sourceEngine, List<Map<String, AttributeValue>> sourceItems, LocalDynamoDb targetEngine,
                List<Map<String, AttributeValue>> targetItems) {
            String source = table(sourceEngine);
            String target = table(targetEngine);
            CompletableFuture<Void> loading = CompletableFuture.runAsync(() ->
                    CopyFixtures.putParallel(sourceEngine.client(), source, sourceItems));
            CopyFixtures.putParallel(targetEngine.client(), target, targetItems);
            loading.join();
            return new Tables(sourceEngine, source, targetEngine, target);
        }

        private static String table(LocalDynamoDb engine) {
            return TestTables.table("bydiff").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                    .create(engine.client());
        }
    }

    static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", s(pk), "sk", n(String.valueOf(sk)));
    }

    /** {@code count} items of every attribute type, spread over 997 partitions. */
    static List<Map<String, AttributeValue>> orders(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(everyType(key("customer#" + i % 997, i), i));
        }
        return items;
    }

    /** The target: the source's items, some changed, some respelled, some left out, plus extras keyed by {@code extraKey}. */
    static Differed differ(List<Map<String, AttributeValue>> source, Differences differences,
            IntFunction<Map<String, AttributeValue>> extraKey) {
        List<Integer> picked = spread(source.size(), differences.changed() + differences.respelled() + differences.missing());
        Set<Integer> changed = new TreeSet<>(picked.subList(0, differences.changed()));
        Set<Integer> respelled = new TreeSet<>(picked.subList(differences.changed(), differences.changed() + differences.respelled()));
        Set<Integer> missing = new TreeSet<>(picked.subList(differences.changed() + differences.respelled(), picked.size()));
        Set<Integer> all = new HashSet<>(changed);
        all.addAll(respelled);
        all.addAll(missing);
        assertThat(all).as("setup: the changed, respelled and missing items are distinct")
                .hasSize(changed.size() + respelled.size() + missing.size());
        List<Map<String, AttributeValue>> items = new ArrayList<>(source.size() + differences.extras());
        int kind = 0;
        for (int i = 0; i < source.size(); i++) {
            Map<String, AttributeValue> item = source.get(i);
            if (missing.contains(i)) {
                continue;
            }
            items.add(changed.contains(i) ? changed(item, kind++) : respelled.contains(i) ? respelled(item) : item);
        }
        Set<String> sourceKeys = CopyFixtures.byKey(source, KEYS).keySet();
        List<Map<String, AttributeValue>> extras = new ArrayList<>();
        for (int j = 0; j < differences.extras(); j++) {
            Map<String, AttributeValue> extra = everyType(extraKey.apply(j), 1_000_000 + j);
            assertThat(sourceKeys).as("setup: the extra item's key is not the source's").doesNotContain(CopyFixtures.keyText(extra, KEYS));
            extras.add(extra);
        }
        items.addAll(extras);
        return new Differed(items, extras);
    }

    /** {@code count} distinct indexes of {@code 0..size-1}, evenly spaced (so spread over partitions and scan segments). */
    private static List<Integer> spread(int size, int count) {
        List<Integer> indexes = new ArrayList<>(count);
        if (count == 0) {
            return indexes;
        }
        int stride = size / count;
        assertThat(stride).as("setup: room for %d items among %d", count, size).isPositive();
        for (int k = 0; k < count; k++) {
            indexes.add(k * stride + stride / 2);
        }
        return indexes;
    }

    /** The item with one attribute different by value; {@code kind} picks which, over every attribute type. */
    static Map<String, AttributeValue> changed(Map<String, AttributeValue> item, int kind) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        switch (kind % 13) {
            case 0 -> copy.put("text", s(item.get("text").s() + " (changed)"));
            case 1 -> copy.put("emptyText", s(" "));
            case 2 -> {
                String digits = item.get("n38").n();
                int last = digits.charAt(digits.length() - 1) - '0';
                copy.put("n38", n(digits.substring(0, digits.length() - 1) + (last + 1) % 10));
            }
            case 3 -> copy.put("decimal", n("12.51"));
            case 4 -> {
                byte[] bytes = item.get("bytes").b().asByteArray();
                bytes[bytes.length - 1] ^= 1;
                copy.put("bytes", b(bytes));
            }
            case 5 -> copy.put("flag", AttributeValue.fromBool(!item.get("flag").bool()));
            case 6 -> copy.remove("nothing");
            case 7 -> copy.put("added", s("only in the target"));
            case 8 -> {
                List<String> strings = new ArrayList<>(item.get("strings").ss());
                strings.add("only in the target");
                copy.put("strings", AttributeValue.fromSs(strings));
            }
            case 9 -> copy.put("numbers", AttributeValue.fromNs(item.get("numbers").ns().stream()
                    .map(number -> number.equals("-2.5") ? "-2.4" : number).toList()));
            case 10 -> {
                List<SdkBytes> blobs = new ArrayList<>(item.get("blobs").bs());
                blobs.add(SdkBytes.fromByteArray(new byte[] {3, 3}));
                copy.put("blobs", AttributeValue.fromBs(blobs));
            }
            case 11 -> {
                List<AttributeValue> list = new ArrayList<>(item.get("list").l());
                list.set(0, s("y"));
                copy.put("list", AttributeValue.fromL(list));
            }
            default -> {
                Map<String, AttributeValue> map = new LinkedHashMap<>(item.get("map").m());
                Map<String, AttributeValue> inner = new LinkedHashMap<>(map.get("inner").m());
                inner.put("deep", AttributeValue.fromNs(List.of("7", "8")));
                map.put("inner", AttributeValue.fromM(inner));
                copy.put("map", AttributeValue.fromM(map));
            }
        }
        assertThat(CopyFixtures.canonical(copy)).as("setup: change %d differs by value", kind % 13)
                .isNotEqualTo(CopyFixtures.canonical(item));
        return copy;
    }

    /** The item with its numbers written otherwise, equal by value: 12.50, 99…9E+88, 1.0 and -2.50 in a set, 7.00 in a map. */
    static Map<String, AttributeValue> respelled(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
        copy.put("decimal", n("12.50"));
        copy.put("huge", n("99999999999999999999999999999999999999E+88"));
        copy.put("numbers", AttributeValue.fromNs(item.get("numbers").ns().stream()
                .map(number -> number.equals("1") ? "1.0" : number.equals("-2.5") ? "-2.50" : number).toList()));
        Map<String, AttributeValue> map = new LinkedHashMap<>(item.get("map").m());
        map.put("when", n(map.get("when").n() + ".00"));
        copy.put("map", AttributeValue.fromM(map));
        assertThat(CopyFixtures.canonical(copy)).as("setup: a respelled item is equal by value").isEqualTo(CopyFixtures.canonical(item));
        return copy;
    }

    // ---- running and reading ----

    private CommandResult copy(Tables tables, String targetEnv, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", tables.source(), "--target-table", tables.target(),
                "--source", tables.sourceEngine().env(), "--target", targetEnv,
                "--summary", "json", "--no-progress", "--backup-dir", backups.toString()));
        args.addAll(List.of(more));
        return Cli.isolated(home).run(args.toArray(String[]::new));
    }

    /** The copy's JSON summary (stdout), after asserting exit code 0. */
    private static JsonNode summary(CommandResult result) throws IOException {
        assertThat(result.exitCode()).as("exit code of %s", result).isZero();
        JsonNode summary = JSON.readTree(result.stdout());
        assertThat(summary != null && summary.isObject()).as("stdout is one JSON object (--summary json): %s", result).isTrue();
        return summary;
    }

    /** The named counters of a JSON summary; a counter it lacks shows as null. */
    private static Map<String, Long> counters(JsonNode summary, String... names) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String name : names) {
            JsonNode value = summary.get(name);
            counters.put(name, value != null && value.isIntegralNumber() ? value.asLong() : null);
        }
        return counters;
    }

    /** The expected written, deleted and (if given) unchanged counters, in that order. */
    private static Map<String, Long> counters(long written, long deleted, long... unchanged) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("written", written);
        counters.put("deleted", deleted);
        if (unchanged.length > 0) {
            counters.put("unchanged", unchanged[0]);
        }
        return counters;
    }

    /** What {@code dynamo verify --summary json} finds between the two tables (straight at the engines). */
    private Map<String, Long> verifyCounts(Tables tables) throws IOException {
        CommandResult result = Cli.isolated(home).run("verify", "-t", tables.source(), "--target-table", tables.target(),
                "--source", tables.sourceEngine().env(), "--target", tables.targetEngine().env(),
                "--summary", "json", "--no-progress", "--temp-dir", work.toString());
        assertThat(result.exitCode()).as("exit code of %s", result).isIn(0, 1);
        JsonNode report = JSON.readTree(result.stdout());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : List.of("missing", "extra", "different", "identicalItems")) {
            counts.put(name, report.path(name).asLong(-1));
        }
        assertThat(report.path("identical").asBoolean() == (result.exitCode() == 0)).as("verify's exit code and report agree: %s", result)
                .isTrue();
        return counts;
    }

    private static Map<String, Long> verifyCounts(long missing, long extra, long different, long identicalItems) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("missing", missing);
        counts.put("extra", extra);
        counts.put("different", different);
        counts.put("identicalItems", identicalItems);
        return counts;
    }

    /** Asserts the table holds exactly {@code expected}: the same keys, and every item equal by value (numbers by value). */
    private static void assertTableHolds(LocalDynamoDb engine, String table, Map<String, Map<String, AttributeValue>> expected,
            String what) {
        Map<String, Map<String, AttributeValue>> actual = CopyFixtures.itemsByKey(engine.client(), table, KEYS, 4);
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, Map<String, AttributeValue>> entry : expected.entrySet()) {
            Map<String, AttributeValue> item = actual.get(entry.getKey());
            if (item != null && !CopyFixtures.canonical(item).equals(CopyFixtures.canonical(entry.getValue()))) {
                different.add(entry.getKey());
            }
        }
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(missing).as("keys missing from %s (%,d), the first few", what, missing.size()).isEmpty();
        softly.assertThat(extra).as("keys %s should not hold (%,d), the first few", what, extra.size()).isEmpty();
        softly.assertThat(different).as("items of %s that differ by value (%,d)", what, different.size()).isEmpty();
        if (!different.isEmpty()) {
            String first = different.get(0);
            softly.assertThat(CopyFixtures.canonical(actual.get(first))).as("item %s of %s, by value", first, what)
                    .isEqualTo(CopyFixtures.canonical(expected.get(first)));
        }
        softly.assertAll();
    }

    // ---- observing the target ----

    /**
     * Counts the item writes the target acknowledged, from the {@link FaultProxy} in front of it. Every write
     * call is passed on to the engine and its answer handed back with the same body (a forwarding
     * {@link Fault#answered} fault, the only way the proxy shows an answer to a test): a BatchWriteItem counts its
     * RequestItems' PutRequests and DeleteRequests less those its answer returns in UnprocessedItems; PutItem
     * and UpdateItem count one put, DeleteItem one delete. An error answer (a body with {@code __type}, as every
     * DynamoDB error has and no success has) counts nothing and is tallied apart; the proxy answers such a fault
     * with status 200 whatever the engine said, so the tool would see a damaged answer, and the tests assert
     * there were none.
     */
    static final class WriteCounter {
        private static final List<String> WRITE_OPERATIONS = List.of("BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem");
        private final AtomicLong puts = new AtomicLong();
        private final AtomicLong deletes = new AtomicLong();
        private final AtomicLong errorAnswers = new AtomicLong();
        private final Map<String, Fault> faults = new HashMap<>();

        WriteCounter() {
            for (String operation : WRITE_OPERATIONS) {
                faults.put(operation, Fault.answered("counted", true, (request, answer) -> count(operation, request, answer)));
            }
        }

        BiFunction<String, Long, Fault> policy() {
            return (operation, n) -> faults.getOrDefault(operation, Fault.NONE);
        }

        long puts() {
            return puts.get();
        }

        long deletes() {
            return deletes.get();
        }

        long errorAnswers() {
            return errorAnswers.get();
        }

        private String count(String operation, String request, String answer) throws IOException {
            JsonNode reply = answer == null || answer.isBlank() ? null : JSON.readTree(answer);
            if (reply == null || !reply.isObject() || reply.has("__type")) {
                errorAnswers.incrementAndGet();
                return answer == null ? "" : answer;
            }
            switch (operation) {
                case "BatchWriteItem" -> {
                    JsonNode sent = JSON.readTree(request).path("RequestItems");
                    JsonNode unprocessed = reply.path("UnprocessedItems");
                    puts.addAndGet(writes(sent, "PutRequest") - writes(unprocessed, "PutRequest"));
                    deletes.addAndGet(writes(sent, "DeleteRequest") - writes(unprocessed, "DeleteRequest"));
                }
                case "DeleteItem" -> deletes.incrementAndGet();
                default -> puts.incrementAndGet();
            }
            return answer;
        }

        /** The write requests of one kind in a RequestItems or UnprocessedItems object (table → list of requests). */
        private static long writes(JsonNode byTable, String kind) {
            long count = 0;
            for (JsonNode requests : byTable) {
                for (JsonNode write : requests) {
                    if (write.has(kind)) {
                        count++;
                    }
                }
            }
            return count;
        }

        @Override
        public String toString() {
            return "acknowledged puts " + puts + ", deletes " + deletes + ", error answers " + errorAnswers;
        }
    }

    /**
     * Counts the target's items again and again on a thread of its own, about 250 ms apart, with a
     * strongly consistent Select=COUNT Scan straight at the engine (not through the proxy), and keeps the
     * fewest seen. A scan is no snapshot, but while a copy only adds items and then deletes the extras, no
     * count can come out below what the target held less the extras; emptying the target first would.
     *
     * <p>Why 250 ms is enough: the behaviour this guards against (delete everything, then write the
     * source) leaves the target short of thousands of items for seconds — deleting and rewriting 10,000
     * items takes the engine seconds even on an idle machine — so counts a quarter of a second
     * apart (each of which itself reads for a while) cannot all miss it. Every count is a full scan of
     * the table on the engine the copy writes to, competing with the copy for it (they were 50 ms apart).
     */
    static final class CountPoller implements AutoCloseable {
        private static final long PAUSE_MILLIS = 250;
        private final DynamoDbClient client;
        private final String table;
        private final Thread thread;
        private final CountDownLatch counted = new CountDownLatch(1);
        private final AtomicLong first = new AtomicLong(-1);
        private final AtomicLong least = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong samples = new AtomicLong();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private volatile boolean running = true;

        private CountPoller(DynamoDbClient client, String table) {
            this.client = client;
            this.table = table;
            this.thread = new Thread(this::poll, "count-poller-" + table);
            thread.setDaemon(true);
        }

        static CountPoller start(DynamoDbClient client, String table) {
            CountPoller poller = new CountPoller(client, table);
            poller.thread.start();
            return poller;
        }

        private void poll() {
            try {
                while (running) {
                    long count = count();
                    first.compareAndSet(-1, count);
                    least.accumulateAndGet(count, Math::min);
                    samples.incrementAndGet();
                    counted.countDown();
                    Thread.sleep(PAUSE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
                counted.countDown();
            }
        }

        private long count() {
            long count = 0;
            Map<String, AttributeValue> start = null;
            do {
                ScanRequest.Builder request = ScanRequest.builder().tableName(table).select(Select.COUNT).consistentRead(true);
                if (start != null) {
                    request.exclusiveStartKey(start);
                }
                ScanResponse page = client.scan(request.build());
                count += page.count();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return count;
        }

        /** The first count, once taken. */
        long awaitFirst() throws InterruptedException {
            assertThat(counted.await(2, TimeUnit.MINUTES)).as("a first count of %s within 2 minutes", table).isTrue();
            rethrow();
            return first.get();
        }

        long least() {
            return least.get();
        }

        long samples() {
            return samples.get();
        }

        private void rethrow() {
            if (failure.get() != null) {
                throw new IllegalStateException("counting the items of " + table + " failed", failure.get());
            }
        }

        /** Stops after the count under way (every count so far is in {@link #least()}). */
        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.MINUTES.toMillis(2));
            rethrow();
        }
    }
}
