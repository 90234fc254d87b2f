package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynamo.testing.Cli;
import dev.dynamo.testing.CommandResult;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * {@code copy --verify}: a copy that verifies passes; one whose target ends different (an item merge
 * mode keeps, an item changed by someone else while a slowed copy runs) exits 1 and says which keys;
 * a verification that fails says the copy itself is done.
 */
@EngineTest
class CopyVerifyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @TempDir
    Path backups;

    private static String table(DynamoDbClient client) {
        return TestTables.table("copy-verify").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .gsi("byStatus", "status", ScalarAttributeType.S, null, null, ProjectionType.KEYS_ONLY).create(client);
    }

    private static List<Map<String, AttributeValue>> items(int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("c" + i % 4), "sk", n(String.valueOf(i))), i));
            item.put("status", s(i % 3 == 0 ? "open" : "done"));
            items.add(item);
        }
        return items;
    }

    private CommandResult copy(LocalDynamoDb db, LocalDynamoDb other, String source, String target, String... more) {
        List<String> args = new ArrayList<>(List.of("copy", "-t", source, "--target-table", target, "--source", db.env(), "--target",
                other.env(), "--yes", "--backup-dir", backups.toString(), "--verify"));
        args.addAll(List.of(more));
        return Cli.isolated(home).run(args.toArray(String[]::new));
    }

    @Test
    void passes_afterAWholeTableCopy_andAfterASelectedCopy(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = table(db.client());
        String target = table(other.client());
        TestTables.put(db.client(), source, items(30));

        CommandResult whole = copy(db, other, source, target);

        assertThat(whole.exitCode()).as("%s", whole).isZero();
        assertThat(whole.stdout()).isEmpty();
        List<String> stderr = whole.stderr().lines().toList();
        assertThat(stderr.get(0)).startsWith("copied table '" + source + "'");
        assertThat(stderr.subList(1, stderr.size() - 1)).containsExactly(
                "verifying table '" + target + "' in '" + other.env() + "' (us-east-1) against table '" + source + "' in '" + db.env()
                        + "' (us-east-1)",
                "Source:    table '" + source + "' in '" + db.env() + "' (us-east-1): 30 items read",
                "Target:    table '" + target + "' in '" + other.env() + "' (us-east-1): 30 items read",
                "Identical: 30 items",
                "Missing:   0 items",
                "Extra:     0 items",
                "Different: 0 items");
        assertThat(stderr.get(stderr.size() - 1)).startsWith("Result:    IDENTICAL (");

        // A selection through a KEYS_ONLY GSI, with the JSON summary: one object, the verification inside it.
        TestTables.put(db.client(), source, List.of(Map.of("pk", s("c0"), "sk", n("100"), "status", s("open"), "note", s("new"))));
        CommandResult selected = copy(db, other, source, target, "-i", "byStatus", "--pk", "open", "--summary", "json", "-q");
        assertThat(selected.exitCode()).as("%s", selected).isZero();
        assertThat(selected.stderr()).isEmpty();
        assertThat(selected.lines()).hasSize(1);
        JsonNode json = JSON.readTree(selected.stdout());
        // By difference: the ten selected items already in the target are unchanged; only the new one is written.
        assertThat(json.get("written").asLong()).isEqualTo(1);
        assertThat(json.get("unchanged").asLong()).isEqualTo(10);
        assertThat(json.get("verify").get("identical").asBoolean()).isTrue();
        assertThat(json.get("verify").get("selection").asBoolean()).isTrue();
        assertThat(json.get("verify").get("identicalItems").asLong()).isEqualTo(11);
    }

    @Test
    void failsWithExitOne_whenAMergeKeepsAnItemTheSourceLacks(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = table(db.client());
        String target = table(other.client());
        TestTables.put(db.client(), source, items(10));
        TestTables.put(other.client(), target, List.of(Map.of("pk", s("c9"), "sk", n("1"), "status", s("old"))));

        CommandResult result = copy(db, other, source, target, "--mode", "merge");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr().lines().toList()).as("%s", result).contains("Extra:     1 item in the target only",
                "  {\"pk\":\"c9\",\"sk\":1}").last().isEqualTo("dynamo: the copy was verified and differs from the source: 0 missing, "
                        + "1 extra, 0 different; the keys are listed above");

        CommandResult quiet = Cli.isolated(home).fail(1, "copy", "-t", source, "--target-table", target, "--source", db.env(),
                "--target", other.env(), "--mode", "merge", "--verify", "-q");
        assertThat(quiet.stderr().strip()).isEqualTo("dynamo: the copy was verified and differs from the source: 0 missing, 1 extra, "
                + "0 different; run dynamo verify for the keys");

        CommandResult json = copy(db, other, source, target, "--mode", "merge", "--summary", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode verify = JSON.readTree(json.stdout()).get("verify");
        assertThat(verify.get("identical").asBoolean()).isFalse();
        assertThat(verify.get("extraKeys").toString()).isEqualTo("[{\"pk\":\"c9\",\"sk\":1}]");
    }

    @Test
    void findsAnItemChangedInTheTarget_whileASlowedCopyRuns(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = table(db.client());
        String target = table(other.client());
        TestTables.put(db.client(), source, items(75));

        // 75 items at 25 WCU/s: about 3 s of copying. As soon as the first batch is in the target, change one of its
        // items there; the copy never writes that key again, and verifies only after its last batch.
        CompletableFuture<Map<String, AttributeValue>> tampered = CompletableFuture.supplyAsync(() -> tamper(other.client(), target));
        CommandResult result = copy(db, other, source, target, "--max-wcu", "25", "--threads", "1", "--segments", "1");
        Map<String, AttributeValue> changed = tampered.get(30, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        String key = "{\"pk\":\"" + changed.get("pk").s() + "\",\"sk\":" + changed.get("sk").n() + "}";
        assertThat(result.stderr().lines().toList()).as("%s", result).contains("Identical: 74 items", "Different: 1 item with the same key",
                "  " + key + "  differs in map.when");
    }

    @Test
    void saysTheCopyIsDone_whenOnlyItsVerificationFails(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws Exception {
        String source = table(db.client());
        String target = table(other.client());
        TestTables.put(db.client(), source, items(5));
        AtomicInteger scans = new AtomicInteger();
        try (FaultProxy proxy = FaultProxy.start(other.endpoint())) {
            // The copy scans the target once (is it empty?); the verification's scans are refused.
            proxy.policy((operation, n) -> operation.equals("Scan") && scans.incrementAndGet() > 1 ? Fault.accessDenied() : Fault.NONE);

            CommandResult result = Cli.isolated(home).run("copy", "-t", source, "--target-table", target, "--source", db.env(),
                    "--target", proxy.env(), "--verify", "--summary", "json", "-q", "--segments", "1");

            assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
            assertThat(result.stderr().lines().toList()).as("%s", result).singleElement().asString()
                    .startsWith("dynamo: the copy is done, but its verification failed: access denied in '" + proxy.env()
                            + "' (us-east-1) while scanning table '" + target + "'");
            JsonNode json = JSON.readTree(result.stdout());
            assertThat(json.get("written").asLong()).isEqualTo(5);
            assertThat(json.has("verify")).isFalse();
        }
        assertThat(TestTables.scanAll(other.client(), target)).hasSize(5);
    }

    /** Waits for the first item in the table, changes one attribute of it deep in a map, and returns it. */
    private static Map<String, AttributeValue> tamper(DynamoDbClient client, String table) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            ScanResponse page = client.scan(b -> b.tableName(table).limit(1).consistentRead(true));
            if (!page.items().isEmpty()) {
                Map<String, AttributeValue> item = new HashMap<>(page.items().get(0));
                Map<String, AttributeValue> map = new HashMap<>(item.get("map").m());
                map.put("when", n("-1"));
                item.put("map", AttributeValue.fromM(map));
                client.putItem(b -> b.tableName(table).item(item));
                return item;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the copy wrote nothing in 20 s");
    }
}
