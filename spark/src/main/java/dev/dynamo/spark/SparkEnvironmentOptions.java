package dev.dynamo.spark;

import dev.dynamo.env.EnvironmentSpec;
import picocli.CommandLine.Option;

/**
 * The one table {@code export} reads and {@code import} writes: {@code -t TABLE} in {@code -e ENV}, with the profile,
 * region and endpoint overrides. The commands describe {@code -t} and {@code --region} in their own words:
 * SparkOptions.properties.
 */
final class SparkEnvironmentOptions {
    @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", descriptionKey = "table")
    String table;

    @Option(names = {"-e", "--env"}, required = true, paramLabel = "ENV",
            description = "Where the table is: an environment named in the environments file, an AWS profile or an endpoint URL.")
    String environment;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile to use (overrides the profile ENV names).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", descriptionKey = "region")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint URL (overrides every other endpoint setting).")
    String endpointUrl;

    EnvironmentSpec spec() {
        return new EnvironmentSpec(environment, profile, region, endpointUrl);
    }
}
