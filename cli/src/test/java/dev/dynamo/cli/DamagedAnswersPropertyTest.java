package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The whole tool against answers damaged in every way we could think of, chosen by a seeded random
 * loop: {@value #DEFAULT_RUNS} runs (by default) of {@code copy}, {@code copy} of a GSI selection,
 * {@code query}, {@code verify} and {@code verify} of a selection, each with one answer of Scan, Query,
 * BatchWriteItem, BatchGetItem or DescribeTable, on the source's side or the target's, damaged once or
 * every time from its n-th call on. The property, for every run: exit 0 and the result exactly right
 * (the target equal to the source item for item, the query's output the undamaged one, verify
 * "identical"), or a non-zero exit with one {@code dynamo:} line — never exit 0 with anything else,
 * never a run past a minute, never a stack trace or "internal error".
 *
 * <p>Rerun one seed with {@code -Ddynamo.property.seed=N}, more runs with {@code -Ddynamo.property.runs=N}.
 * A failure names the run's seed, command, operation, side, damage and what went wrong.
 */
@EngineTest
@Timeout(600)
class DamagedAnswersPropertyTest {
    private static final int DEFAULT_RUNS = 200;
    private static final long SEED = Long.getLong("dynamo.property.seed", 20261201L);
    private static final int RUNS = Integer.getInteger("dynamo.property.runs", DEFAULT_RUNS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final int ITEMS = 90;
    private static final String INDEX = "byG";
    private static LocalDynamoDb db;
    private static LocalDynamoDb other;
    private static String source;
    private static String mirror;
    private static String target;
    private static String cleanQuery;
    private static String cleanIndexQuery;
    private static FaultProxy sourceProxy;
    private static FaultProxy targetProxy;
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "property-run");
        thread.setDaemon(true);
        return thread;
    });

    @TempDir
    static Path home;

    @TempDir
    static Path work;

    /** What is run, and which operations (and on which side) it calls. */
    enum Command {
        COPY(List.of("Scan", "DescribeTable"), List.of("Scan", "BatchWriteItem", "DescribeTable")),
        COPY_SELECTION(List.of("Query", "BatchGetItem", "DescribeTable"), List.of("Query", "BatchWriteItem", "DescribeTable")),
        QUERY(List.of("Query", "DescribeTable"), List.of()),
        QUERY_INDEX(List.of("Query", "DescribeTable"), List.of()),
        VERIFY(List.of("Scan", "DescribeTable"), List.of("Scan", "DescribeTable")),
        VERIFY_SELECTION(List.of("Query", "BatchGetItem", "DescribeTable"), List.of("Query", "BatchGetItem", "DescribeTable"));

        final List<String> sourceOperations;
        final List<String> targetOperations;

        Command(List<String> sourceOperations, List<String> targetOperations) {
            this.sourceOperations = sourceOperations;
            this.targetOperations = targetOperations;
        }
    }

    /**
     * One way to damage an answer. A forgery is a damage no client can tell from the truth when it is
     * made every time (a BatchGetItem answer that always leaves out the same item says that the item does
     * not exist), so it is made once only: a second look must see through it.
     */
    private record Damage(String name, Fault fault, boolean forgery) {
        Damage(String name, Fault fault) {
            this(name, fault, false);
        }
    }

    @BeforeAll
    static void load(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = table(db);
        mirror = table(other);
        target = table(other);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> key = Map.of("pk", s("p" + i % 7), "sk", n("" + i));
            Map<String, AttributeValue> item = new LinkedHashMap<>(i % 3 == 0 ? everyType(key, i) : key);
            item.put("g", s("g" + i % 4));
            item.put("v", s("value " + i));
            items.add(item);
        }
        CopyFixtures.putParallel(db.client(), source, items);
        CopyFixtures.putParallel(other.client(), mirror, items);
        cleanQuery = Cli.isolated(home).succeed(query(db.env(), false)).stdout();
        cleanIndexQuery = Cli.isolated(home).succeed(query(db.env(), true)).stdout();
        assertThat(cleanQuery.lines()).hasSize(13);
        assertThat(cleanIndexQuery.lines()).hasSizeGreaterThan(20);
        sourceProxy = FaultProxy.start(db.endpoint());
        targetProxy = FaultProxy.start(other.endpoint());
    }

    @AfterAll
    static void stop() {
        sourceProxy.close();
        targetProxy.close();
        RUNNER.shutdownNow();
    }

    private static String table(LocalDynamoDb engine) {
        return TestTables.table("property").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi(INDEX, "g", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY).create(engine.client());
    }

    private static String[] query(String env, boolean index) {
        return index ? new String[] {"query", "-t", source, "-i", INDEX, "--pk", "g1", "-o", "jsonl", "-e", env}
                : new String[] {"query", "-t", source, "--pk", "p3", "-o", "jsonl", "-e", env};
    }

    private static String[] command(Command command, int run) {
        String checkpoint = work.resolve("run-" + run + ".checkpoint.json").toString();
        List<String> copy = List.of("copy", "-t", source, "--target-table", target, "--source", sourceProxy.env(), "--target",
                targetProxy.env(), "--yes", "--backup", "none", "--summary", "json", "--no-progress", "--threads", "3",
                "--max-retries", "3", "--request-timeout", "3", "--checkpoint", checkpoint);
        List<String> verify = List.of("verify", "-t", source, "--target-table", mirror, "--source", sourceProxy.env(), "--target",
                targetProxy.env(), "--summary", "json", "--no-progress", "--threads", "3", "--max-retries", "3");
        List<String> args = new ArrayList<>();
        switch (command) {
            case COPY -> {
                args.addAll(copy);
                args.addAll(List.of("--page-size", "20", "--segments", "3"));
            }
            case COPY_SELECTION -> {
                args.addAll(copy);
                args.addAll(List.of("-i", INDEX, "--pk", "g1", "--page-size", "6"));
            }
            case QUERY -> args.addAll(List.of(query(sourceProxy.env(), false)));
            case QUERY_INDEX -> args.addAll(List.of(query(sourceProxy.env(), true)));
            case VERIFY -> {
                args.addAll(verify);
                args.addAll(List.of("--page-size", "20", "--segments", "3"));
            }
            case VERIFY_SELECTION -> {
                args.addAll(verify);
                args.addAll(List.of("-i", INDEX, "--pk", "g1", "--page-size", "6"));
            }
            default -> throw new IllegalStateException(command.name());
        }
        return args.toArray(String[]::new);
    }

    @Test
    void everyDamagedAnswer_endsWithTheExactResult_orOneLineAndANonZeroExit() throws Exception {
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> byDamage = new TreeMap<>();
        Map<String, Integer> byOperation = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        for (int run = 0; run < RUNS; run++) {
            Command command = Command.values()[random.nextInt(Command.values().length)];
            boolean onSource = command.targetOperations.isEmpty() || random.nextBoolean();
            List<String> operations = onSource ? command.sourceOperations : command.targetOperations;
            String operation = operations.get(random.nextInt(operations.size()));
            Damage damage = damage(random, operation);
            // DescribeTable is called once a side, and the query command reads one page here: their first call or none.
            int nth = operation.equals("DescribeTable") || command == Command.QUERY || command == Command.QUERY_INDEX ? 1
                    : 1 + random.nextInt(2);
            boolean persistent = !damage.forgery() && random.nextInt(4) == 0;
            String label = "run " + run + " (seed " + SEED + "): " + command + ", " + operation + " on the " + (onSource ? "source" : "target")
                    + ", " + damage.name() + (persistent ? " from" : " at") + " call " + nth;

            Map<String, Map<String, AttributeValue>> targetBefore = command == Command.COPY_SELECTION
                    ? CopyFixtures.itemsByKey(other.client(), target, KEYS) : null;
            AtomicLong calls = new AtomicLong();
            BiFunction<String, Long, Fault> policy = (op, n) -> {
                if (!op.equals(operation)) {
                    return Fault.NONE;
                }
                long call = calls.incrementAndGet();
                return call == nth || persistent && call > nth ? damage.fault() : Fault.NONE;
            };
            (onSource ? sourceProxy : targetProxy).policy(policy);
            (onSource ? targetProxy : sourceProxy).policy((op, n) -> Fault.NONE);
            long injectedBefore = sourceProxy.injectedTotal() + targetProxy.injectedTotal();

            String[] args = command(command, run);
            Future<CommandResult> running = RUNNER.submit(() -> Cli.isolated(home).run(args));
            CommandResult result;
            try {
                result = running.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                violations.add(label + ": still running after 60 s");
                running.cancel(true);
                break;
            } finally {
                sourceProxy.policy((op, n) -> Fault.NONE);
                targetProxy.policy((op, n) -> Fault.NONE);
            }
            boolean damaged = sourceProxy.injectedTotal() + targetProxy.injectedTotal() > injectedBefore;
            String problem = check(command, result, targetBefore);
            if (problem != null) {
                violations.add(label + ": " + problem + "\n    " + result.toString().replace("\n", "\n    "));
            }
            String outcome = !damaged ? "not reached" : result.exitCode() == 0 ? "exit 0, exact" : "exit " + result.exitCode() + ", one line";
            outcomes.merge(outcome, 1, Integer::sum);
            byDamage.merge(damage.name() + ": " + outcome, 1, Integer::sum);
            byOperation.merge(command + " " + (onSource ? "source " : "target ") + operation + ": " + outcome, 1, Integer::sum);
        }
        System.out.printf("DamagedAnswersPropertyTest: %d runs (seed %d) in %d s: %s%n", RUNS, SEED,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), outcomes);
        byDamage.forEach((damage, count) -> System.out.printf("  %-45s %d%n", damage, count));
        byOperation.forEach((operation, count) -> System.out.printf("  %-60s %d%n", operation, count));
        assertThat(violations).as("runs that broke the property").isEmpty();
        assertThat(outcomes.getOrDefault("exit 0, exact", 0)).as("runs that recovered").isGreaterThan(RUNS / 4);
        assertThat(outcomes.getOrDefault("not reached", 0)).as("runs whose damage never happened").isLessThan(RUNS / 4);
    }

    /** What is wrong with the run's result, or null when it holds the property. */
    private static String check(Command command, CommandResult result, Map<String, Map<String, AttributeValue>> targetBefore)
            throws IOException {
        String stderr = result.stderr();
        if (stderr.contains("\tat ") || stderr.contains("internal error") || stderr.contains("Exception in thread")) {
            return "a stack trace or an internal error";
        }
        List<String> lines = stderr.lines().filter(line -> line.startsWith("dynamo: ")).toList();
        if (result.exitCode() != 0) {
            if (result.exitCode() != 1 && result.exitCode() != 2) {
                return "exit " + result.exitCode() + ", not a documented failure";
            }
            if (lines.size() != 1) {
                return lines.size() + " 'dynamo:' lines, not one";
            }
            if ((command == Command.VERIFY || command == Command.VERIFY_SELECTION) && !result.stdout().isBlank()) {
                return "verify reported differences between identical tables";
            }
            if (lines.get(0).contains("the copy stopped") && !lines.get(0).contains("--resume")) {
                return "a stopped copy without its resume command";
            }
            return null;
        }
        if (!lines.isEmpty()) {
            return "exit 0 with an error line";
        }
        switch (command) {
            case COPY -> {
                Map<String, Map<String, AttributeValue>> expected = CopyFixtures.itemsByKey(db.client(), source, KEYS);
                return same(expected, CopyFixtures.itemsByKey(other.client(), target, KEYS));
            }
            case COPY_SELECTION -> {
                Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
                targetBefore.forEach((key, item) -> {
                    if (!item.containsKey("g") || !item.get("g").s().equals("g1")) {
                        expected.put(key, item);
                    }
                });
                CopyFixtures.itemsByKey(db.client(), source, KEYS).forEach((key, item) -> {
                    if (item.get("g").s().equals("g1")) {
                        expected.put(key, item);
                    }
                });
                return same(expected, CopyFixtures.itemsByKey(other.client(), target, KEYS));
            }
            case QUERY -> {
                return result.stdout().equals(cleanQuery) ? null : "exit 0 with another output";
            }
            case QUERY_INDEX -> {
                return result.stdout().equals(cleanIndexQuery) ? null : "exit 0 with another output";
            }
            default -> {
                JsonNode summary = JSON.readTree(result.stdout());
                return summary != null && summary.path("identical").asBoolean(false) ? null : "exit 0 but not identical";
            }
        }
    }

    private static String same(Map<String, Map<String, AttributeValue>> expected, Map<String, Map<String, AttributeValue>> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return "exit 0 with a target of " + actual.size() + " items where " + expected.size() + " were expected";
        }
        for (Map.Entry<String, Map<String, AttributeValue>> entry : expected.entrySet()) {
            if (!CopyFixtures.canonical(entry.getValue()).equals(CopyFixtures.canonical(actual.get(entry.getKey())))) {
                return "exit 0 with item " + entry.getKey() + " different in the target";
            }
        }
        return null;
    }

    /** A damage that fits the operation, drawn from {@code random}. */
    private static Damage damage(Random random, String operation) {
        List<Damage> all = new ArrayList<>(List.of(
                new Damage("empty body", Fault.answered("empty body", false, (q, a) -> "")),
                new Damage("{} not forwarded", Fault.answered("{}", false, (q, a) -> "{}")),
                new Damage("{} forwarded", Fault.answered("{} forwarded", true, (q, a) -> "{}")),
                new Damage("error in a 200", Fault.answered("error in a 200", false, (q, a) -> "{\"__type\":"
                        + "\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"Requested resource not found\"}")),
                new Damage("not JSON", Fault.answered("not JSON", false, (q, a) -> "<html><body>502 Bad Gateway</body></html>")),
                new Damage("JSON array", Fault.answered("JSON array", true, (q, a) -> "[" + a + "]")),
                new Damage("extra field", Fault.answered("extra field", true, (q, a) -> json(a).put("Unexpected", 1).toString())),
                new Damage("missing field", Fault.answered("missing field", true, (q, a) -> dropField(a, random))),
                new Damage("null field", Fault.answered("null field", true, (q, a) -> nullField(a, random))),
                new Damage("wrong type", Fault.answered("wrong type", true, (q, a) -> wrongType(a, random))),
                new Damage("cut short", Fault.truncated()),
                new Damage("2 GiB", Fault.huge(2L << 30, true)),
                new Damage("CRC32 mismatch", Fault.damaged()),
                new Damage("no CRC32", Fault.noCrc()),
                new Damage("HTTP 500", Fault.internalServerError()),
                new Damage("throttled", Fault.throughputExceeded()),
                new Damage("reset before", Fault.resetBefore()),
                new Damage("reset after", Fault.resetAfter())));
        switch (operation) {
            case "Scan", "Query" -> all.addAll(List.of(
                    new Damage("Count off by one", Fault.answered("Count off by one", true, (q, a) -> {
                        ObjectNode page = json(a);
                        return page.put("Count", page.path("Count").asInt() + (random.nextBoolean() ? 1 : -1)).toString();
                    })),
                    new Damage("Items null", Fault.answered("Items null", true, (q, a) -> json(a).putNull("Items").toString())),
                    new Damage("item of a wrong type", Fault.answered("item of a wrong type", true, (q, a) -> wrongItem(a, "Items", random))),
                    new Damage("item twice", Fault.answered("item twice", true, (q, a) -> duplicated(a))),
                    new Damage("item dropped", Fault.answered("item dropped", true, (q, a) -> dropped(a))),
                    new Damage("item of another table", Fault.answered("item of another table", true, (q, a) -> foreign(a))),
                    new Damage("start key again", Fault.answered("start key again", true, (q, a) -> {
                        JsonNode start = json(q).get("ExclusiveStartKey");
                        ObjectNode page = json(a);
                        if (start != null) {
                            page.set("LastEvaluatedKey", start);
                        }
                        return page.toString();
                    })),
                    new Damage("key of a wrong type", Fault.answered("key of a wrong type", true, (q, a) -> {
                        ObjectNode page = json(a);
                        if (page.has("LastEvaluatedKey")) {
                            ((ObjectNode) page.get("LastEvaluatedKey")).putObject("pk").put("N", "1");
                        }
                        return page.toString();
                    }))));
            case "BatchGetItem" -> all.addAll(List.of(
                    new Damage("item twice", Fault.answered("item twice", true, (q, a) -> {
                        ObjectNode body = json(a);
                        body.path("Responses").forEach(items -> {
                            if (!items.isEmpty()) {
                                ((ArrayNode) items).add(items.get(0).deepCopy());
                            }
                        });
                        return body.toString();
                    })),
                    new Damage("item not asked for", Fault.answered("item not asked for", true, (q, a) -> {
                        ObjectNode body = json(a);
                        body.path("Responses").forEach(items -> {
                            ObjectNode stranger = ((ArrayNode) items).addObject();
                            stranger.putObject("pk").put("S", "stranger");
                            stranger.putObject("sk").put("N", "-1");
                        });
                        return body.toString();
                    })),
                    new Damage("item dropped", Fault.answered("item dropped", true, (q, a) -> {
                        ObjectNode body = json(a);
                        body.path("Responses").forEach(items -> {
                            if (!items.isEmpty()) {
                                ((ArrayNode) items).remove(items.size() - 1);
                            }
                        });
                        return body.toString();
                    }), true),
                    new Damage("item of a wrong type", Fault.answered("item of a wrong type", true, (q, a) -> {
                        ObjectNode body = json(a);
                        Iterator<String> tables = body.path("Responses").fieldNames();
                        return tables.hasNext() ? wrongItem(a, "Responses." + tables.next(), random) : a;
                    }))));
            case "BatchWriteItem" -> all.add(new Damage("unprocessed never sent", Fault.answered("unprocessed never sent", true, (q, a) -> {
                ObjectNode body = json(q);
                String table = body.get("RequestItems").fieldNames().next();
                ObjectNode item = JSON.createObjectNode();
                item.putObject("pk").put("S", "stranger");
                item.putObject("sk").put("N", "-1");
                ObjectNode reply = json(a);
                reply.putObject("UnprocessedItems").putArray(table).addObject().putObject("PutRequest").set("Item", item);
                return reply.toString();
            })));
            case "DescribeTable" -> all.addAll(List.of(
                    new Damage("another key schema", Fault.answered("another key schema", true, (q, a) -> {
                        ObjectNode body = json(a);
                        ObjectNode table = (ObjectNode) body.get("Table");
                        ((ObjectNode) table.get("KeySchema").get(0)).put("AttributeName", "id");
                        ((ArrayNode) table.get("AttributeDefinitions")).addObject().put("AttributeName", "id").put("AttributeType", "S");
                        return body.toString();
                    })),
                    new Damage("no key schema", Fault.answered("no key schema", true, (q, a) -> {
                        ObjectNode body = json(a);
                        ((ObjectNode) body.get("Table")).remove("KeySchema");
                        return body.toString();
                    })),
                    new Damage("status deleting", Fault.answered("status deleting", true, (q, a) -> {
                        ObjectNode body = json(a);
                        ((ObjectNode) body.get("Table")).put("TableStatus", "DELETING");
                        return body.toString();
                    }))));
            default -> {
                // the generic damages only
            }
        }
        return all.get(random.nextInt(all.size()));
    }

    private static ObjectNode json(String body) throws IOException {
        return (ObjectNode) JSON.readTree(body);
    }

    private static String dropField(String answer, Random random) throws IOException {
        ObjectNode body = json(answer);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        names.remove("ConsumedCapacity");
        if (!names.isEmpty()) {
            body.remove(names.get(random.nextInt(names.size())));
        }
        return body.toString();
    }

    private static String nullField(String answer, Random random) throws IOException {
        ObjectNode body = json(answer);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        if (!names.isEmpty()) {
            body.putNull(names.get(random.nextInt(names.size())));
        }
        return body.toString();
    }

    /** One top-level field given a value of another JSON type: a number as a string, an array as an object, and so on. */
    private static String wrongType(String answer, Random random) throws IOException {
        ObjectNode body = json(answer);
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            return "{\"Count\":\"many\"}";
        }
        String name = names.get(random.nextInt(names.size()));
        JsonNode value = body.get(name);
        if (value.isNumber()) {
            body.put(name, value.asText() + "x");
        } else if (value.isArray()) {
            body.putObject(name).set("0", value.size() > 0 ? value.get(0) : JSON.createObjectNode());
        } else if (value.isObject()) {
            body.putArray(name).add(value);
        } else {
            body.put(name, 7);
        }
        return body.toString();
    }

    /** One attribute of one item given a value that is not DynamoDB JSON of its type. */
    private static String wrongItem(String answer, String path, Random random) throws IOException {
        ObjectNode body = json(answer);
        JsonNode items = body;
        for (String part : path.split("\\.")) {
            items = items.path(part);
        }
        if (!items.isArray() || items.isEmpty()) {
            return answer;
        }
        ObjectNode item = (ObjectNode) items.get(random.nextInt(items.size()));
        List<String> names = new ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        switch (random.nextInt(4)) {
            case 0 -> item.putObject(name).put("S", 5);
            case 1 -> item.putObject(name).put("N", "five");
            case 2 -> item.putObject(name).put("Q", "x");
            default -> item.putObject(name).put("BOOL", "yes");
        }
        return body.toString();
    }

    /** A page with its first item twice, its counts adjusted. */
    private static String duplicated(String answer) throws IOException {
        ObjectNode page = json(answer);
        ArrayNode items = (ArrayNode) page.get("Items");
        if (items == null || items.isEmpty()) {
            return answer;
        }
        items.add(items.get(0).deepCopy());
        page.put("Count", items.size());
        if (page.has("ScannedCount")) {
            page.put("ScannedCount", page.get("ScannedCount").asInt() + 1);
        }
        return page.toString();
    }

    /** A page with its last item gone and its Count adjusted (its ScannedCount not). */
    private static String dropped(String answer) throws IOException {
        ObjectNode page = json(answer);
        ArrayNode items = (ArrayNode) page.get("Items");
        if (items == null || items.isEmpty()) {
            return answer;
        }
        items.remove(items.size() - 1);
        page.put("Count", items.size());
        return page.toString();
    }

    /** A page with an item of another table (another key) added, its counts adjusted. */
    private static String foreign(String answer) throws IOException {
        ObjectNode page = json(answer);
        ArrayNode items = (ArrayNode) page.get("Items");
        if (items == null) {
            return answer;
        }
        ObjectNode stranger = items.addObject();
        stranger.putObject("id").put("S", "from another table");
        stranger.putObject("total").put("N", "12");
        page.put("Count", items.size());
        if (page.has("ScannedCount")) {
            page.put("ScannedCount", page.get("ScannedCount").asInt() + 1);
        }
        return page.toString();
    }
}
