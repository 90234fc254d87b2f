package dev.dynamo.copy;

import static dev.dynamo.testing.CopyFixtures.everyType;
import static dev.dynamo.testing.CopyFixtures.n;
import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.pipeline.SegmentAcks;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * 20,000 items of about 1.1 KB (22 MB: many 1 MB pages in every segment) from one server to another,
 * in replace mode over a target that has items: every item arrives exactly, none twice, none lost,
 * and every page of every segment is acknowledged.
 */
@EngineTest
class LargeCopyTest {
    static final int ITEMS = 20_000;

    @TempDir
    Path home;

    @TempDir
    Path backups;

    @Test
    void copiesTwentyThousandItemsExactly_overManyPagesAndSegments(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other) {
        String source = TestTables.table("large").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(db.client());
        List<Map<String, AttributeValue>> items = new ArrayList<>(ITEMS);
        String padding = "x".repeat(850);
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> item = new HashMap<>(everyType(Map.of("pk", s("customer#" + i % 997), "sk", n(String.valueOf(i))), i));
            item.put("padding", s(padding));
            items.add(item);
        }
        long loadStart = System.nanoTime();
        CopyFixtures.putParallel(db.client(), source, items);
        System.out.printf("LargeCopyTest: loaded in %.2f s%n", (System.nanoTime() - loadStart) / 1e9);
        String target = TestTables.table("large").partitionKey("pk", ScalarAttributeType.S).sortKey("sk", ScalarAttributeType.N)
                .create(other.client());
        List<Map<String, AttributeValue>> old = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            old.add(Map.of("pk", s("stale#" + i), "sk", n("1")));
        }
        old.add(Map.of("pk", s("customer#1"), "sk", n("1"), "old", s("overwritten")));
        TestTables.put(other.client(), target, old);
        EnvironmentResolver resolver = new EnvironmentResolver(Map.of(), home);
        Environment from = resolver.resolve(EnvironmentSpec.of(db.env()));
        Environment to = resolver.resolve(EnvironmentSpec.of(other.env()));
        CopyPlan plan = CopyPlan.builder(source).targetTable(target).segments(12).backupDirectory(backups).build();

        CopyStats stats;
        SegmentAcks acks;
        try (CopyJob job = CopyJob.prepare(from, to, plan)) {
            assertThat(job.preview().deletes()).isTrue();
            stats = job.run();
            acks = job.acknowledgements();
        }

        assertThat(stats.scanned()).isEqualTo(ITEMS);
        assertThat(stats.written()).isEqualTo(ITEMS);
        assertThat(stats.deleted()).as("only the extras: the item with a source item's key is overwritten").isEqualTo(300);
        assertThat(stats.compared()).isTrue();
        assertThat(stats.failed()).isZero();
        assertThat(stats.deadLetterFile()).isNull();
        assertThat(stats.backup().items()).isEqualTo(301);
        assertThat(stats.bytesWritten()).isGreaterThan(20L * 1024 * 1024);
        assertThat(acks.allFinished()).isTrue();
        long pages = 0;
        for (int segment = 0; segment < acks.segmentCount(); segment++) {
            SegmentAcks.Checkpoint checkpoint = acks.checkpoint(segment);
            assertThat(checkpoint.finished()).isTrue();
            pages += checkpoint.completedPages();
        }
        assertThat(acks.segmentCount()).isEqualTo(12);
        assertThat(pages).as("1 MB pages read").isGreaterThanOrEqualTo(22);
        long verifyStart = System.nanoTime();
        CopyFixtures.assertSameItems(db.client(), source, other.client(), target, List.of("pk", "sk"));
        System.out.printf("LargeCopyTest: verified in %.2f s%n", (System.nanoTime() - verifyStart) / 1e9);
        System.out.printf("LargeCopyTest: %,d items (%.1f MiB) in %.2f s: %,.0f items/s; %,.0f RCU, %,.0f WCU, %d pages%n",
                stats.written(), stats.bytesWritten() / 1048576.0, stats.elapsed().toNanos() / 1e9, stats.itemsPerSecond(),
                stats.readUnits(), stats.writeUnits(), pages);
    }
}
