package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import picocli.CommandLine.Option;

/**
 * How {@code copy} and {@code import} write: {@code --threads} in each task, {@code --max-wcu} (the whole job's),
 * {@code --create-table}, {@code --allow-protected-target}. Each command's words: SparkOptions.properties.
 */
final class SparkWriteOptions {
    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Writer threads in each task. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(names = "--max-wcu", paramLabel = "UNITS", description = "Write at most UNITS write capacity units per second, the whole job.")
    double maxWriteUnits;

    @Option(names = "--create-table", descriptionKey = "create-table")
    boolean createTable;

    @Option(names = "--allow-protected-target", paramLabel = "NAME", descriptionKey = "allow-protected-target")
    String allowProtectedTarget;

    /** Checks {@code --threads}; {@code --max-wcu} is checked by the command, whose message may name {@code --max-rcu} too. */
    void check() {
        if (writers < 1 || writers > 64) {
            throw DynamoException.usage("--threads must be 1 to 64");
        }
    }
}
