package dev.dynamo.copy;

import static dev.dynamo.testing.CopyFixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import dev.dynamo.pipeline.JobCounters;
import dev.dynamo.testing.CopyFixtures;
import dev.dynamo.testing.EngineTest;
import dev.dynamo.testing.LocalDynamoDb;
import dev.dynamo.testing.LocalEngineExtension;
import dev.dynamo.testing.TestTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * --max-rcu and --max-wcu: the capacity DynamoDB reports as consumed (ConsumedCapacity), sampled
 * while the copy runs as a monitor would, stays within 10% of the cap over about three seconds.
 */
@EngineTest
class RateLimitTest {
    @TempDir
    Path home;

    private static String sourceWith(LocalDynamoDb db, int items, int itemBytes) {
        String source = TestTables.table("rate").partitionKey("pk", ScalarAttributeType.S).create(db.client());
        List<Map<String, AttributeValue>> batch = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            String pk = String.format("k%05d", i);
            // pk (2 + 6 bytes) and data (4 + n bytes) make itemBytes
            batch.add(Map.of("pk", s(pk), "data", s("d".repeat(itemBytes - 12))));
        }
        CopyFixtures.putParallel(db.client(), source, batch);
        return source;
    }

    /** Consumed units over time, sampled from the live counters while a copy runs. */
    private static final class Sampler implements AutoCloseable {
        private final List<double[]> samples = new ArrayList<>(); // {seconds, units}
        private final Thread thread;
        private volatile boolean done;

        Sampler(JobCounters counters, boolean writes) {
            long start = System.nanoTime();
            thread = new Thread(() -> {
                while (!done) {
                    JobCounters.Snapshot now = counters.snapshot();
                    synchronized (samples) {
                        samples.add(new double[] {(System.nanoTime() - start) / 1e9, writes ? now.writeUnits() : now.readUnits(),
                            now.scanned()});
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        /**
         * Units per second from the start of the first call metered (writes: once the first page is read;
         * reads: the first read of the copy itself, after the checks) to the first sample that saw them all.
         */
        double rate(double total, boolean writes) {
            synchronized (samples) {
                double[] first = samples.stream().filter(sample -> writes ? sample[2] > 0 : sample[1] > 0).findFirst().orElseThrow();
                double[] last = samples.stream().filter(sample -> sample[1] >= total).findFirst().orElseThrow();
                return (last[1] - (writes ? 0 : first[1])) / (last[0] - first[0]);
            }
        }

        @Override
        public void close() throws InterruptedException {
            done = true;
            thread.join();
        }
    }

    private double measuredRate;

    private CopyStats copy(LocalDynamoDb db, LocalDynamoDb other, String source, CopyPlan.Builder plan, boolean writes)
            throws InterruptedException {
        EnvironmentResolver resolver = new EnvironmentResolver(Map.of(), home);
        Environment from = resolver.resolve(EnvironmentSpec.of(db.env()));
        Environment to = resolver.resolve(EnvironmentSpec.of(other.env()));
        // A first copy without limits warms up both servers' JVMs, so start-up pauses do not distort the measure.
        try (CopyJob warmUp = CopyJob.prepare(from, to, CopyPlan.builder(source).targetTable(TestTables.uniqueName("warm"))
                .createTable(true).build())) {
            warmUp.run();
        }
        // An existing, empty target: the copy's elapsed time is all reading and writing.
        String target = TestTables.table("rate-copy").partitionKey("pk", ScalarAttributeType.S).create(other.client());
        try (CopyJob job = CopyJob.prepare(from, to, plan.targetTable(target).build())) {
            CopyStats stats;
            try (Sampler sampler = new Sampler(job.counters(), writes)) {
                stats = job.run();
                Thread.sleep(30); // a last sample after the end
                measuredRate = sampler.rate(writes ? stats.writeUnits() : stats.readUnits(), writes);
            }
            return stats;
        }
    }

    @Test
    void writesStayWithinTenPercentOfMaxWcu(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws InterruptedException {
        String source = sourceWith(db, 1200, 1000); // 1 WCU per item
        double cap = 400;

        CopyStats stats = copy(db, other, source, CopyPlan.builder(source).maxWriteUnitsPerSecond(cap), true);

        double seconds = stats.elapsed().toNanos() / 1e9;
        double measured = measuredRate;
        System.out.printf("RateLimitTest: %.0f WCU, %.1f WCU/s while writing, against a cap of %.0f (%+.1f%%); "
                + "whole run %.2f s = %.1f WCU/s%n", stats.writeUnits(), measured, cap, (measured / cap - 1) * 100, seconds,
                stats.writeUnits() / seconds);
        assertThat(stats.written()).isEqualTo(1200);
        assertThat(stats.writeUnits()).isEqualTo(1200);
        assertThat(measured).isBetween(cap * 0.9, cap * 1.1);
        assertThat(stats.writeUnits() / seconds).as("over the whole run").isBetween(cap * 0.8, cap * 1.1);
    }

    @Test
    void readsStayWithinTenPercentOfMaxRcu(LocalDynamoDb db, @LocalEngineExtension.Second LocalDynamoDb other)
            throws InterruptedException {
        // A page of 40 items: 140,000 bytes, 35 RCU strongly consistent on DynamoDB (1,025 in all); dynalite charges every Scan
        // as eventually consistent, half as much (526 in all). Two segments: each segment's last, short page is reserved at
        // the previous page's cost and the surplus returns only up to the limiter's burst, so with 8 segments (the default)
        // the tails of this three-second copy kept the rate 10% under the cap on dynalite.
        String source = sourceWith(db, 1200, 3500);
        double cap = 175;

        CopyStats stats = copy(db, other, source,
                CopyPlan.builder(source).maxReadUnitsPerSecond(cap).consistent(true).pageSize(40).segments(2), false);

        double seconds = stats.elapsed().toNanos() / 1e9;
        double measured = measuredRate;
        System.out.printf("RateLimitTest: %.0f RCU, %.1f RCU/s while reading, against a cap of %.0f (%+.1f%%); "
                + "whole run %.2f s = %.1f RCU/s%n", stats.readUnits(), measured, cap, (measured / cap - 1) * 100, seconds,
                stats.readUnits() / seconds);
        assertThat(stats.written()).isEqualTo(1200);
        assertThat(stats.readUnits()).isGreaterThan(500);
        assertThat(measured).isBetween(cap * 0.9, cap * 1.1);
        assertThat(stats.readUnits() / seconds).as("over the whole run").isBetween(cap * 0.8, cap * 1.1);
    }
}
