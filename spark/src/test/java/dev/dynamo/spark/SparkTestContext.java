package dev.dynamo.spark;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one Spark context of a test JVM, shared by every test class (Spark allows one per JVM, and each start costs
 * seconds): {@code local[2,2]}, two task slots, a task may fail once and be retried. Made with the product's own
 * settings for a local master ({@link DynamoSpark#sparkConf}). Spark's shutdown hook stops it when the JVM exits.
 */
final class SparkTestContext {
    private static JavaSparkContext spark;

    private SparkTestContext() {
    }

    /** The context, started on first use; commands run through {@link DynamoSpark#execute} use it and leave it running. */
    static synchronized JavaSparkContext get() {
        if (spark == null) {
            spark = new JavaSparkContext(DynamoSpark.sparkConf("local[2,2]").setAppName("dynamo-test"));
            DynamoSpark.sharedContext = spark;
        }
        return spark;
    }
}
