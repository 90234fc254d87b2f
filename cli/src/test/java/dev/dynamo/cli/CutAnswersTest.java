package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Answers that never arrive whole: a body cut short (the connection closed before its Content-Length),
 * a body trickling in a byte at a time, and a body far larger than any DynamoDB answer (2 GiB declared,
 * or streamed with no length); and answers without the x-amz-crc32 header the endpoint sends. On every path (the copy's raw Scan and BatchWriteItem, a selection's
 * Query and BatchGetItem, the query command, DescribeTable) a cut or stalled answer is retried like a
 * network error, and an oversized one is refused without reading it into memory.
 */
@EngineTest
@Timeout(180)
class CutAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("pk", "sk");
    private static final int ITEMS = 800;
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
        CopyFixtures.putParallel(db.client(), source, CopyFixtures.mixedItems(ITEMS, 13));
    }

    private static String table(LocalDynamoDb engine) {
        return TestTables.table("cut").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(engine.client());
    }

    private CommandResult copy(String from, String to, String target, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", source, "--target-table", target, "--source", from, "--target", to,
                "--yes", "--summary", "json", "--no-progress", "--backup-dir", work.toString(), "--threads", "4"));
        args.addAll(List.of(more));
        if (!args.contains("--page-size")) {
            args.addAll(List.of("--page-size", "50"));
        }
        if (!args.contains("--max-retries")) {
            args.addAll(List.of("--max-retries", "30"));
        }
        return Cli.isolated(home).run(args.toArray(String[]::new));
    }

    private static long retried(CommandResult result) throws IOException {
        return JSON.readTree(result.stdout()).get("retried").asLong();
    }

    private static void assertOneLine(CommandResult result) {
        assertThat(result.stderr().lines().filter(line -> line.startsWith("dynamo: "))).as("%s", result).hasSize(1);
        assertThat(result.stderr()).as("%s", result).doesNotContain("\tat ", "internal error", "Exception in thread");
    }

    @Test
    void copiesExactly_whenScanAndWriteAnswersAreCutShort() throws Exception {
        String target = table(other);
        try (FaultProxy from = FaultProxy.start(db.endpoint()).every("Scan", 1.0 / 3, Fault.truncated());
                FaultProxy to = FaultProxy.start(other.endpoint()).every("BatchWriteItem", 1.0 / 4, Fault.truncated())) {
            CommandResult result = copy(from.env(), to.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injectedTotal()).isGreaterThan(2);
            assertThat(to.injectedTotal()).isGreaterThan(2);
            // The SDK retries a cut answer once by itself before the copy's own retries see it; at least every cut was retried.
            assertThat(retried(result)).isGreaterThan(0).isLessThanOrEqualTo(from.injectedTotal() + to.injectedTotal());
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void copiesExactly_whenAScanAnswerTricklesIn_untilTheRequestTimeout() throws Exception {
        String target = table(other);
        AtomicLong scans = new AtomicLong();
        // The second Scan's answer comes one byte every 200 ms: the socket never times out, the attempt does.
        BiFunction<String, Long, Fault> policy = (op, n) -> op.equals("Scan") && scans.incrementAndGet() == 2 ? Fault.trickle(200)
                : Fault.NONE;
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy(policy)) {
            long started = System.nanoTime();
            CommandResult result = copy(from.env(), other.env(), target, "--request-timeout", "1.5");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injected()).containsEntry("Scan:TRICKLE", 1L);
            assertThat(retried(result)).isEqualTo(1);
            assertThat((System.nanoTime() - started) / 1_000_000_000).as("seconds").isLessThan(60);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);
    }

    @Test
    void refusesAnAnswerLargerThanAnyDynamoDbSends_withoutReadingIt_andCopiesExactlyWhenItPasses() throws Exception {
        String target = table(other);
        // 2 GiB declared: refused on its Content-Length. Read whole, it was an OutOfMemoryError.
        try (FaultProxy from = FaultProxy.start(db.endpoint()).every("Scan", 1.0 / 4, Fault.huge(2L << 30, true))) {
            CommandResult result = copy(from.env(), other.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(retried(result)).isEqualTo(from.injectedTotal()).isGreaterThan(1);
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);

        // 64 MiB with no length (ended by closing the connection), every time: the cap stops each read at 16 MiB, and the copy
        // stops with one line and what it would resume.
        String second = table(other);
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy((op, n) -> op.equals("Scan") ? Fault.huge(64L << 20, false)
                : Fault.NONE)) {
            CommandResult result = copy(from.env(), other.env(), second, "--max-retries", "2");

            assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
            assertOneLine(result);
            assertThat(result.stderr()).contains("gave a damaged Scan answer while scanning table '" + source + "'")
                    .contains("more than 16 MiB").contains("--resume");
        }
        assertThat(TestTables.scanAll(other.client(), second)).isEmpty();
    }

    @Test
    void retriesAnAnswerWithoutItsCrc32_onceTheEndpointHasSentOne_andTakesAnEndpointThatNeverSendsOne() throws Exception {
        String target = table(other);
        // dynalite sends x-amz-crc32 with every answer, as DynamoDB does: one without it was rewritten on the way.
        try (FaultProxy from = FaultProxy.start(db.endpoint()).every("Scan", 1.0 / 3, Fault.noCrc());
                FaultProxy to = FaultProxy.start(other.endpoint()).every("BatchWriteItem", 1.0 / 4, Fault.noCrc())) {
            CommandResult result = copy(from.env(), to.env(), target);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injectedTotal()).isGreaterThan(2);
            assertThat(to.injectedTotal()).isGreaterThan(2);
            assertThat(retried(result)).isEqualTo(from.injectedTotal() + to.injectedTotal());
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, KEYS);

        // An endpoint that never sends one (some DynamoDB-compatible servers do not) is taken as it is.
        String second = table(other);
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy((op, n) -> Fault.noCrc());
                FaultProxy to = FaultProxy.start(other.endpoint()).policy((op, n) -> Fault.noCrc())) {
            CommandResult result = copy(from.env(), to.env(), second);

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(retried(result)).isZero();
        }
        CopyFixtures.assertSameItems(db.client(), source, other.client(), second, KEYS);
    }

    @Test
    void copiesASelectionExactly_whenQueryAndBatchGetAnswersAreCutShort() throws Exception {
        String target = table(other);
        AtomicLong calls = new AtomicLong();
        BiFunction<String, Long, Fault> policy = (op, n) -> (op.equals("Query") || op.equals("BatchGetItem"))
                && calls.incrementAndGet() % 3 == 0 ? Fault.truncated() : Fault.NONE;
        try (FaultProxy from = FaultProxy.start(db.endpoint()).policy(policy)) {
            CommandResult result = copy(from.env(), other.env(), target, "--pk", "p5", "--page-size", "5");

            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(from.injectedTotal()).isGreaterThan(2);
        }
        List<Map<String, AttributeValue>> selected = new ArrayList<>();
        for (Map<String, AttributeValue> item : TestTables.scanAll(db.client(), source)) {
            if (item.get("pk").s().equals("p5")) {
                selected.add(item);
            }
        }
        assertThat(CopyFixtures.itemsByKey(other.client(), target, KEYS)).isEqualTo(CopyFixtures.byKey(selected, KEYS));
    }

    @Test
    void queryAndDescribe_retryACutAnswer_andStopWithOneLineWhenEveryAnswerIsCut() {
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            AtomicLong queries = new AtomicLong();
            proxy.policy((op, n) -> op.equals("Query") && queries.incrementAndGet() == 1 ? Fault.truncated() : Fault.NONE);
            CommandResult once = Cli.isolated(home).succeed("query", "-t", source, "--pk", "p3", "-o", "jsonl", "-e", proxy.env());
            CommandResult direct = Cli.isolated(home).succeed("query", "-t", source, "--pk", "p3", "-o", "jsonl", "-e", db.env());
            assertThat(once.stdout()).isEqualTo(direct.stdout());
            assertThat(proxy.injectedTotal()).isEqualTo(1);

            proxy.policy((op, n) -> op.equals("Query") ? Fault.truncated() : Fault.NONE);
            CommandResult always = Cli.isolated(home).fail(1, "query", "-t", source, "--pk", "p3", "-e", proxy.env());
            assertOneLine(always);
            assertThat(always.stdout()).isEmpty();

            proxy.policy((op, n) -> op.equals("Query") ? Fault.huge(2L << 30, true) : Fault.NONE);
            CommandResult huge = Cli.isolated(home).fail(1, "query", "-t", source, "--pk", "p3", "-e", proxy.env());
            assertOneLine(huge);
            assertThat(huge.stderr()).contains("gave a damaged Query answer").contains("2,147,483,648 bytes");

            proxy.policy((op, n) -> op.equals("DescribeTable") ? Fault.truncated() : Fault.NONE);
            CommandResult describe = Cli.isolated(home).fail(1, "describe", "-t", source, "-e", proxy.env());
            assertOneLine(describe);
            assertThat(describe.stderr()).doesNotContain("not found");
        }
    }
}
