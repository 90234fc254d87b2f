package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentSpec;
import picocli.CommandLine.Option;

/**
 * Where a copy reads and writes, and what a verification compares: {@code --source ENV} and {@code --target ENV}, each with the same
 * overrides {@code -e} has ({@code --source-profile}, {@code --target-region}, ...). Both sides
 * convert to the same record, {@link EnvironmentSpec}, and are resolved alike.
 */
public final class SourceTargetOptions {
    @Option(names = {"--source", "--src", "-src"}, required = true, paramLabel = "ENV",
            description = "Where to read: an AWS profile or an endpoint URL (http://localhost:8000).")
    String source;

    @Option(names = {"--target", "--dst", "-tgt"}, required = true, paramLabel = "ENV",
            description = "Where to write (copy) or compare with (verify): an AWS profile or an endpoint URL.")
    String target;

    @Option(names = "--source-profile", paramLabel = "NAME", description = "AWS profile for the source (overrides the one ENV names).")
    String sourceProfile;

    @Option(names = "--source-region", paramLabel = "REGION", description = "Region of the source (overrides the profile's).")
    String sourceRegion;

    @Option(names = "--source-endpoint-url", paramLabel = "URL", description = "Endpoint of the source (overrides every other setting).")
    String sourceEndpointUrl;

    @Option(names = "--target-profile", paramLabel = "NAME", description = "AWS profile for the target.")
    String targetProfile;

    @Option(names = "--target-region", paramLabel = "REGION", description = "Region of the target.")
    String targetRegion;

    @Option(names = "--target-endpoint-url", paramLabel = "URL", description = "Endpoint of the target.")
    String targetEndpointUrl;

    EnvironmentSpec sourceSpec() {
        return new EnvironmentSpec(source, sourceProfile, sourceRegion, sourceEndpointUrl);
    }

    EnvironmentSpec targetSpec() {
        return new EnvironmentSpec(target, targetProfile, targetRegion, targetEndpointUrl);
    }
}
