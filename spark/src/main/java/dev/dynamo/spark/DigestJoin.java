package dev.dynamo.spark;

import dev.dynamo.Counts;
import dev.dynamo.DynamoException;
import dev.dynamo.items.AttributeJson;
import dev.dynamo.table.TableSchema;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The digest join of {@code verify} and of a replace by difference, on the driver: both tables' scan segments are map
 * tasks ({@link DigestScanTask}) emitting (key, side and digest) records; Spark's shuffle brings each key's records
 * together ({@code groupByKey} into {@code partitions} partitions: at most two small records a key), where each key is
 * classified ({@link KeyOutcome}). Only digests cross the network, never items.
 *
 * <p>The shuffle's output stays on the executors for the job's next action on the same RDD: a replace counts first
 * ({@link #tally}), then acts on the same partitions, without scanning again.
 */
final class DigestJoin {
    /** Shuffle partitions by default: 4 per slot, or one per {@link #PARTITION_KEYS} keys if more. */
    static final int PARTITIONS_PER_SLOT = 4;
    /** Keys per shuffle partition at most, by default: a replace's task acts on one partition's differences. */
    static final long PARTITION_KEYS = 1_000_000;
    static final int MAX_AUTO = 100_000;
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder().build();

    private DigestJoin() {
    }

    /** A table's scan segments by default, as a copy's: max(4 x slots, size / 128 MiB), at most 100,000. */
    static int defaultSegments(TableSchema table, int slots) {
        return SparkCopyJob.defaultSegments(table.sizeBytes(), slots);
    }

    /** max(4 x slots, keys / 1,000,000), at most 100,000. */
    static int defaultPartitions(long items, int slots) {
        long byItems = (Math.max(0, items) + PARTITION_KEYS - 1) / PARTITION_KEYS;
        return (int) Math.max(1, Math.min(MAX_AUTO, Math.max((long) PARTITIONS_PER_SLOT * Math.max(1, slots), byItems)));
    }

    /** Every key's records, grouped by key into {@code partitions} partitions (lazy: nothing runs until an action). */
    static JavaPairRDD<KeyBytes, Iterable<byte[]>> grouped(JavaSparkContext spark, DiffTaskPlan plan, DiffAccumulators counts,
            int partitions) {
        List<Integer> tasks = new ArrayList<>();
        for (int task = 0; task < plan.sourceSegments() + plan.targetSegments(); task++) {
            tasks.add(task);
        }
        return spark.parallelize(tasks, tasks.size()).mapPartitionsToPair(new DigestScanTask(plan, counts)).groupByKey(partitions);
    }

    /** Counts the keys of every kind and keeps the first {@code show} of each kind of difference (a Spark action). */
    static DiffTally tally(JavaPairRDD<KeyBytes, Iterable<byte[]>> grouped, int show, KeyShape keys) {
        return grouped.mapPartitions((Iterator<Tuple2<KeyBytes, Iterable<byte[]>>> records) -> {
            DiffTally tally = new DiffTally(show, keys.order());
            while (records.hasNext()) {
                Tuple2<KeyBytes, Iterable<byte[]>> record = records.next();
                tally.add(KeyOutcome.of(record._2()), record._1().bytes());
            }
            return List.of(tally).iterator();
        }).reduce(DiffTally::merge);
    }

    /**
     * A scan that read a key twice gave an answer not to trust (DynamoDB's scan returns each item once): the job stops
     * with one line, having changed nothing.
     *
     * <pre>
     * DynamoDB in 'prod' (us-east-1) gave a damaged Scan answer while scanning table 'Orders': the key {"pk":"c1"} came
     * twice (1 key in all); nothing was changed, run the job again
     * </pre>
     */
    static DynamoException repeated(DiffTally tally, KeyShape keys, String sourceWhere, String targetWhere, String sourceTable,
            String targetTable, String nothing) {
        boolean inSource = tally.repeatedInSource();
        return DynamoException.failure(String.format("DynamoDB in %s gave a damaged Scan answer while scanning table '%s': the key %s "
                        + "came twice (%s in all); %s", inSource ? sourceWhere : targetWhere, inSource ? sourceTable : targetTable,
                keyJson(keys, tally.repeatedKey()), Counts.of(tally.repeatedKeys(), "key", "keys"), nothing), null);
    }

    /** The key as a plain JSON object, key attributes in schema order: {@code {"pk":"c1","sk":3}}. */
    static String keyJson(KeyShape keys, byte[] key) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON_FACTORY.createGenerator(text)) {
            AttributeJson.writePlainItem(out, keys.decode(key), keys.schema().names());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return text.toString();
    }
}
