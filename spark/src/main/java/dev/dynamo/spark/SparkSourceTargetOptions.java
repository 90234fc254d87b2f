package dev.dynamo.spark;

import dev.dynamo.env.EnvironmentSpec;
import picocli.CommandLine.Option;

/**
 * Where {@code copy} reads and writes and what {@code verify} compares: {@code -t TABLE} in {@code --source ENV} and
 * {@code --target-table} (default: the same name) in {@code --target ENV}, each with its profile, region and endpoint
 * overrides. Both sides convert to the same record, {@link EnvironmentSpec}. The commands describe {@code -t},
 * {@code --source}, {@code --target} and {@code --target-table} in their own words: SparkOptions.properties.
 */
final class SparkSourceTargetOptions {
    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", descriptionKey = "table")
    String table;

    @Option(names = {"--source", "--src", "-src"}, required = true, paramLabel = "ENV", descriptionKey = "source")
    String source;

    @Option(names = {"--target", "--dst", "-tgt"}, required = true, paramLabel = "ENV", descriptionKey = "target")
    String target;

    @Option(names = "--source-profile", paramLabel = "NAME", description = "AWS profile for the source.")
    String sourceProfile;

    @Option(names = "--source-region", paramLabel = "REGION", description = "Region of the source.")
    String sourceRegion;

    @Option(names = "--source-endpoint-url", paramLabel = "URL", description = "Endpoint of the source.")
    String sourceEndpointUrl;

    @Option(names = "--target-profile", paramLabel = "NAME", description = "AWS profile for the target.")
    String targetProfile;

    @Option(names = "--target-region", paramLabel = "REGION", description = "Region of the target.")
    String targetRegion;

    @Option(names = "--target-endpoint-url", paramLabel = "URL", description = "Endpoint of the target.")
    String targetEndpointUrl;

    @Option(names = "--target-table", paramLabel = "NAME", descriptionKey = "target-table")
    String targetTable;

    EnvironmentSpec sourceSpec() {
        return new EnvironmentSpec(source, sourceProfile, sourceRegion, sourceEndpointUrl);
    }

    EnvironmentSpec targetSpec() {
        return new EnvironmentSpec(target, targetProfile, targetRegion, targetEndpointUrl);
    }

    /** The target's table: {@code --target-table}, or the source's name. */
    String targetTableName() {
        return targetTable != null ? targetTable : table;
    }
}
