package dev.dynamo.spark;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The task attempts that failed on the test JVM's context while this watched it (test classes of one JVM run one
 * after another, so these are the test's own): says whether a fault was retried inside its task or made Spark run the
 * task again.
 */
final class FailedAttempts implements AutoCloseable {
    private final SparkContext context;
    private final List<String> reasons = new CopyOnWriteArrayList<>();
    private final SparkListener listener = new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskInfo().successful()) {
                reasons.add(end.reason() instanceof TaskFailedReason failed ? failed.toErrorString() : end.reason().toString());
            }
        }
    };

    private FailedAttempts(SparkContext context) {
        this.context = context;
        context.addSparkListener(listener);
    }

    static FailedAttempts watch(JavaSparkContext spark) {
        return new FailedAttempts(spark.sc());
    }

    /** Why each failed attempt failed, once Spark's listener bus has delivered every event posted so far. */
    List<String> reasons() throws TimeoutException {
        context.listenerBus().waitUntilEmpty();
        return List.copyOf(reasons);
    }

    @Override
    public void close() {
        context.removeSparkListener(listener);
    }
}
