package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import picocli.CommandLine.Option;

/**
 * How {@code copy}, {@code export} and {@code verify} scan: {@code --consistent}, {@code --segments} (one Spark task
 * each), {@code --max-rcu} (the whole job's). Each command's words: SparkOptions.properties.
 */
final class SparkScanOptions {
    @Option(names = "--consistent", descriptionKey = "consistent")
    boolean consistent;

    @Option(names = "--segments", paramLabel = "N", descriptionKey = "segments")
    int segments;

    @Option(names = "--max-rcu", paramLabel = "UNITS", descriptionKey = "max-rcu")
    double maxReadUnits;

    /**
     * Checks {@code --segments} (0: not given, chosen by the job); {@code --max-rcu} is checked by the command, whose
     * message may name {@code --max-wcu} too.
     */
    void check() {
        if (segments < 0) {
            throw DynamoException.usage("--segments must be 1 or more");
        }
    }
}
