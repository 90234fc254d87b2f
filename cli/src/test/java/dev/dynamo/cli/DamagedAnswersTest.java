package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Answers that come back 200, well formed and with a matching CRC32, but wrong: a write answer with no
 * UnprocessedItems for a request that never reached the server, a page without Count or Items, a Count
 * that does not add up, a LastEvaluatedKey that does not move on, unprocessed requests that were never
 * sent, a DescribeTable without the table. Made by a real proxy ({@link FaultProxy}) in front of the
 * engine. Each is either retried until the copy is exact, or stops the command with one line (and, for
 * a copy, what the next run resumes); never exit 0 with a different target, never a hang.
 */
@EngineTest
@Timeout(120)
class DamagedAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final int ITEMS = 1_500;
    private static LocalDynamoDb db;
    private static LocalDynamoDb other;
    private static String source;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void loadSource(LocalDynamoDb primary, @LocalEngineExtension.Second LocalDynamoDb second) {
        db = primary;
        other = second;
        source = table(db);
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(ITEMS, 37));
    }

    private static String table(LocalDynamoDb engine) {
        return TestTables.table("damaged").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(engine.client());
    }

    private static ObjectNode json(String body) throws IOException {
        return (ObjectNode) JSON.readTree(body);
    }

    private CommandResult copy(String from, String to, String target, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", source, "--target-table", target, "--source", from, "--target", to,
                "--yes", "--summary", "json", "--no-progress", "--backup-dir", work.toString(), "--threads", "4"));
        args.addAll(List.of(more));
        if (!args.contains("--max-retries")) {
            // Faults fall on every n-th call of all threads together, so one request's retries can meet several in a
            // row: enough retries that this cannot exhaust them by chance (4 did, once in about 20 runs).
            args.addAll(List.of("--max-retries", "30"));
        }
        if (!args.contains("--page-size")) {
            args.addAll(List.of("--page-size", "100"));
        }
        return Cli.isolated(home).run(args.toArray(String[]::new));
    }

    private static long retried(CommandResult result) throws IOException {
        return JSON.readTree(result.stdout()).get("retried").asLong();
    }

    @Test
    void copiesExactly_whenWriteAnswersComeBackEmpty_forRequestsThatNeverArrived() throws Exception {
        String target = table(other);
        AtomicLong calls = new AtomicLong();
        // Not passed on: the server never sees these batches. An empty body and "{}" in turn.
        Fault emptyAnswer = Fault.answered("empty", false, (request, answer) -> calls.incrementAndGet() % 2 == 0 ? "" : "{}");
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).every("BatchWriteItem", 1.0 / 7, emptyAnswer)) {
            CommandResult result = copy(db.env(), proxy.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            long injected = proxy.injected().get("BatchWriteItem:ANSWERED(empty)");
            assertThat(injected).isGreaterThan(5);
            assertThat(retried(result)).as("each damaged answer retried").isEqualTo(injected);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void copiesExactly_whenWriteAnswersListRequestsThatWereNeverSent() throws Exception {
        String target = table(other);
        // Passed on, then answered as if another item (never sent, of no source) were left to do.
        Fault stranger = Fault.answered("stranger", true, (request, answer) -> {
            ObjectNode body = json(request);
            String table = body.get("RequestItems").fieldNames().next();
            ObjectNode item = JSON.createObjectNode();
            item.putObject("pk").put("S", "stranger");
            item.putObject("sk").put("N", "-1");
            ObjectNode unprocessed = JSON.createObjectNode();
            unprocessed.putArray(table).addObject().putObject("PutRequest").set("Item", item);
            ObjectNode reply = json(answer);
            reply.set("UnprocessedItems", unprocessed);
            return reply.toString();
        });
        try (FaultProxy proxy = FaultProxy.start(other.endpoint()).every("BatchWriteItem", 1.0 / 9, stranger)) {
            CommandResult result = copy(db.env(), proxy.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(retried(result)).isEqualTo(proxy.injected().get("BatchWriteItem:ANSWERED(stranger)"));
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void copiesExactly_whenScanPagesComeBackWithoutCountOrItems_orMiscounted() throws Exception {
        String target = table(other);
        AtomicLong calls = new AtomicLong();
        Fault broken = Fault.answered("page", true, (request, answer) -> {
            ObjectNode page = json(answer);
            switch ((int) (calls.incrementAndGet() % 4)) {
                case 0 -> {
                    return "{}"; // taken as a segment's last page, this would skip the rest of the segment
                }
                case 1 -> page.remove("Items");
                case 2 -> page.put("Count", page.get("Count").asInt() + 1);
                default -> page.remove("Count");
            }
            return page.toString();
        });
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).every("Scan", 1.0 / 3, broken)) {
            CommandResult result = copy(proxy.env(), other.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(retried(result)).isEqualTo(proxy.injected().get("Scan:ANSWERED(page)"));
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void stopsWithOneLineAndSaysWhatWasDone_whenScanKeepsAnsweringWithItsStartKey() throws Exception {
        String target = table(other);
        // Every page after a segment's first says the next starts where it started: followed, the copy would never end.
        Fault loop = Fault.answered("loop", true, (request, answer) -> {
            JsonNode start = json(request).get("ExclusiveStartKey");
            ObjectNode page = json(answer);
            if (start != null) {
                page.set("LastEvaluatedKey", start);
            }
            return page.toString();
        });
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).policy((op, n) -> op.equals("Scan") ? loop : Fault.NONE)) {
            CommandResult result = copy(proxy.env(), other.env(), target, "--max-retries", "3");

            assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
            assertThat(result.stderr().lines().filter(line -> line.startsWith("dynamo: "))).as("%s", result).singleElement()
                    .asString().startsWith("dynamo: DynamoDB in '" + proxy.env() + "' (us-east-1) gave a damaged Scan answer while "
                            + "scanning table '" + source + "'")
                    .contains("LastEvaluatedKey is the ExclusiveStartKey it was given").contains("; the copy stopped: ");
            assertThat(result.stderr()).doesNotContain("\tat ", "internal error");
        }
    }

    @Test
    void queryStopsWithOneLine_onAnEmptyAnswer_andOnAPageThatDoesNotMoveOn() {
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            proxy.policy((op, n) -> op.equals("Query") ? Fault.answered("empty", false, (request, answer) -> "{}") : Fault.NONE);
            CommandResult empty = Cli.isolated(home).fail(1, "query", "-t", source, "--pk", "p3", "-e", proxy.env());
            assertThat(empty.stderr()).isEqualTo("dynamo: DynamoDB in '" + proxy.env() + "' (us-east-1) gave a damaged Query answer "
                    + "while querying table '" + source + "': no Count\n");

            CommandResult count = Cli.isolated(home).fail(1, "query", "-t", source, "--pk", "p3", "--count", "-e", proxy.env());
            assertThat(count.stderr()).contains("gave a damaged Query answer").contains("no Count");

            Fault loop = Fault.answered("loop", true, (request, answer) -> {
                ObjectNode page = json(answer);
                JsonNode items = page.get("Items");
                ObjectNode last = JSON.createObjectNode();
                last.set("pk", items.get(0).get("pk"));
                last.set("sk", items.get(0).get("sk"));
                page.set("LastEvaluatedKey", json(request).has("ExclusiveStartKey") ? json(request).get("ExclusiveStartKey") : last);
                return page.toString();
            });
            proxy.policy((op, n) -> op.equals("Query") ? loop : Fault.NONE);
            // The first page is right and is printed as it comes; the second would repeat it for ever, and stops the query.
            CommandResult looping = Cli.isolated(home).run("query", "-t", source, "--pk", "p3", "-o", "jsonl", "-e", proxy.env());
            assertThat(looping.exitCode()).as("%s", looping).isEqualTo(1);
            assertThat(looping.stderr().lines()).as("%s", looping).singleElement().asString()
                    .contains("gave a damaged Query answer").contains("LastEvaluatedKey is the ExclusiveStartKey");
            assertThat(looping.lines()).as("the first page, once").hasSize(41);
        }
    }

    @Test
    void saysTheAnswerWasDamaged_notThatTheTableIsMissing_whenDescribeTableComesBackEmpty() {
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            proxy.policy((op, n) -> op.equals("DescribeTable") ? Fault.answered("empty", false, (request, answer) -> "{}") : Fault.NONE);

            CommandResult describe = Cli.isolated(home).fail(1, "describe", "-t", source, "-e", proxy.env());
            assertThat(describe.stderr()).isEqualTo("dynamo: DynamoDB in '" + proxy.env() + "' (us-east-1) gave a damaged DescribeTable "
                    + "answer while describing table '" + source + "': no Table\n");

            String target = table(other);
            CommandResult copy = Cli.isolated(home).fail(1, "copy", "-t", source, "--target-table", target, "--source", proxy.env(),
                    "--target", other.env(), "--yes", "--max-retries", "2", "--backup-dir", work.toString());
            assertThat(copy.stderr()).contains("gave a damaged DescribeTable answer").doesNotContain("not found");
            assertThat(TestTables.scanAll(other.client(), target)).isEmpty();
        }
    }

    @Test
    void copiesASelectionExactly_whenQueryPagesAndBatchGetAnswersAreDamaged() throws Exception {
        String target = table(other);
        AtomicLong calls = new AtomicLong();
        Fault brokenPage = Fault.answered("page", true, (request, answer) -> calls.incrementAndGet() % 2 == 0 ? "{}"
                : json(answer).put("Count", 99_999).toString());
        try (FaultProxy proxy = FaultProxy.start(db.endpoint()).every("Query", 1.0 / 2, brokenPage)) {
            CommandResult result = copy(proxy.env(), other.env(), target, "--pk", "p5", "--page-size", "5");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(retried(result)).isEqualTo(proxy.injected().get("Query:ANSWERED(page)"));
        }
        List<Map<String, AttributeValue>> selected = new ArrayList<>();
        for (Map<String, AttributeValue> item : TestTables.scanAll(db.client(), source)) {
            if (item.get("pk").s().equals("p5")) {
                selected.add(item);
            }
        }
        assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS)).hasSize(selected.size())
                .isEqualTo(CopyFixtures.byKey(selected, KEYS));
    }
}
