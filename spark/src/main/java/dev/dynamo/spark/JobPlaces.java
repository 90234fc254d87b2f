package dev.dynamo.spark;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/** Where a Spark job's driver is reached, and where its checkpoint is by default: the same for every job. */
final class JobPlaces {
    private JobPlaces() {
    }

    /** Where the tasks reach the driver: 127.0.0.1 for a local master, else the driver's address as Spark knows it. */
    static String driverHost(JavaSparkContext spark) {
        return spark.master().startsWith("local") ? "127.0.0.1" : spark.getConf().get("spark.driver.host", "127.0.0.1");
    }

    /**
     * {@code ~/.dynamo/checkpoints/spark-NAME-HASH}, the hash of the job's identity, so that the same job finds its
     * checkpoint again and another job does not.
     *
     * @param name e.g. {@code copy-Orders-to-Orders}
     */
    static Path defaultCheckpoint(Path home, String name, Map<String, String> identity) {
        String hash = HexFormat.of().toHexDigits(identity.toString().hashCode());
        return home.resolve(".dynamo").resolve("checkpoints").resolve("spark-" + name + "-" + hash);
    }
}
