package dev.dynamo.spark;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the driver: records each segment task that Spark reports successful in the checkpoint, so that a resume after a
 * killed driver does not copy it again. It only reads Java-typed fields of Spark's events (ids, the partition, the
 * stage's properties), none of Scala's collections, so it works with Spark built for Scala 2.12 and 2.13 alike.
 * Listener events arrive on Spark's listener thread, after the fact: a segment finished just before a kill may not
 * be recorded, and is copied again by the resume (the same puts; nothing is lost).
 */
final class SegmentListener extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentListener.class);

    private final JavaSparkContext spark;
    private final String jobGroup;
    private final List<Integer> segmentOfPartition;
    private final SparkCheckpoint checkpoint;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

    private SegmentListener(JavaSparkContext spark, String jobGroup, List<Integer> segmentOfPartition, SparkCheckpoint checkpoint) {
        this.spark = spark;
        this.jobGroup = jobGroup;
        this.segmentOfPartition = List.copyOf(segmentOfPartition);
        this.checkpoint = checkpoint;
    }

    /**
     * Listens to the job of {@code jobGroup}, whose partition {@code i} copies {@code segmentOfPartition.get(i)}.
     */
    static SegmentListener register(JavaSparkContext spark, String jobGroup, List<Integer> segmentOfPartition, SparkCheckpoint checkpoint) {
        SegmentListener listener = new SegmentListener(spark, jobGroup, segmentOfPartition, checkpoint);
        spark.sc().addSparkListener(listener);
        return listener;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        if (submitted.properties() != null && jobGroup.equals(submitted.properties().getProperty("spark.jobGroup.id"))) {
            stages.add(submitted.stageInfo().stageId());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId()) || !end.taskInfo().successful()) {
            return;
        }
        int partition = end.taskInfo().partitionId();
        if (partition < 0 || partition >= segmentOfPartition.size()) {
            return;
        }
        try {
            checkpoint.finish(segmentOfPartition.get(partition));
        } catch (RuntimeException e) {
            LOG.warn("cannot record segment {} as finished in the checkpoint: {}", segmentOfPartition.get(partition), e.toString());
        }
    }

    @Override
    public void close() {
        spark.sc().removeSparkListener(this);
    }
}
