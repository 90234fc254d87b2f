package dev.dynamo.spark;

import dev.dynamo.DynamoException;
import dev.dynamo.pipeline.JobDefaults;
import picocli.CommandLine.Option;

/**
 * What every Spark command has: DynamoDB calls ({@code --page-size}, {@code --max-retries}, {@code --request-timeout})
 * and what it prints ({@code --no-progress}, {@code --summary}). Where a command means something of its own by an
 * option, it says so in its own words: SparkOptions.properties.
 */
final class SparkJobOptions {
    /** {@code --summary}: text or one JSON object. */
    enum SummaryFormat { text, json }

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + JobDefaults.PAGE_SIZE_ITEMS, descriptionKey = "page-size")
    int pageSize;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "" + JobDefaults.MAX_RETRIES, descriptionKey = "max-retries")
    int maxRetries;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Abandon and retry one DynamoDB call that takes longer. Default: ${DEFAULT-VALUE}.")
    double requestTimeoutSeconds;

    @Option(names = "--no-progress", descriptionKey = "no-progress")
    boolean noProgress;

    @Option(names = "--summary", paramLabel = "FORMAT", defaultValue = "text", descriptionKey = "summary")
    SummaryFormat summary;

    /**
     * Checks the numbers.
     *
     * @throws DynamoException (usage) naming the option and its range
     */
    void check() {
        if (pageSize < 1 || pageSize > 10_000) {
            throw DynamoException.usage("--page-size must be 1 to 10000");
        }
        if (maxRetries < 0) {
            throw DynamoException.usage("--max-retries must be 0 or more");
        }
        if (!(requestTimeoutSeconds > 0)) {
            throw DynamoException.usage("--request-timeout must be positive");
        }
    }

    long requestTimeoutMillis() {
        return (long) (requestTimeoutSeconds * 1000);
    }

    /** The progress line's period: the root's, or 0 (none) with {@code --no-progress}. */
    long progressMillis(DynamoSpark.Root root) {
        return noProgress ? 0 : root.progressMillis();
    }

    boolean json() {
        return summary == SummaryFormat.json;
    }
}
