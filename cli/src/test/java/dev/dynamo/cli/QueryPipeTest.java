package dev.dynamo.cli;

import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.Fault;
import dev.dynamo.testing.FaultProxy;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.TestTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code dynamo query ... | head -1} in a real shell pipe: once head has exited, the query stops
 * reading pages (each costs read capacity) instead of reading the whole partition into a closed pipe.
 * The Query calls are counted by a proxy in front of the engine.
 */
@EngineTest
class QueryPipeTest {
    @TempDir
    Path home;

    @Test
    void stopsReadingPages_whenTheReaderOfItsOutputHasExited(LocalDynamoDb db) throws Exception {
        String table = TestTables.table("pipe").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            items.add(Map.of("pk", s("hot"), "sk", n("" + i), "data", s("x".repeat(2_000))));
        }
        CopyFixtures.putParallel(db.client(), table, items); // about 6 MB: 6 or more 1 MB pages
        AtomicLong queries = new AtomicLong();
        try (FaultProxy proxy = FaultProxy.start(db.endpoint())) {
            proxy.policy((op, n) -> {
                if (op.equals("Query")) {
                    queries.incrementAndGet();
                }
                return Fault.NONE;
            });
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "'" + java + "' -Daws.disableEc2Metadata=true -cp '" + System.getProperty("java.class.path")
                    + "' dev.dynamo.cli.Main query -t " + table + " --pk hot -o jsonl -e " + proxy.env() + " | head -1";
            Process shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(false).start();
            shell.getOutputStream().close();
            boolean ended = shell.waitFor(60, TimeUnit.SECONDS);
            String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(ended).as("the pipeline ended (stderr: %s)", err).isTrue();
            assertThat(out.lines()).hasSize(1).first().asString().startsWith("{\"pk\":\"hot\",\"sk\":0,");
            assertThat(err).as("quiet, as a command in a pipe should be").isEmpty();
            // The first page is read (and perhaps the next, while the first is printed); not the partition's 6 or more.
            assertThat(queries.get()).as("Query calls").isBetween(1L, 2L);
        }
    }
}
