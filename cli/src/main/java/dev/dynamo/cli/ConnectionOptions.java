package dev.dynamo.cli;

import dev.dynamo.env.EnvironmentSpec;
import picocli.CommandLine.Option;

/** Where the table lives: {@code -e/--env} and its overrides. Mixed into every command that reads one environment. */
public final class ConnectionOptions {
    @Option(names = {"-e", "--env"}, paramLabel = "ENV",
            description = "An environment of ~/.dynamo/config.toml, an AWS profile name (as in ~/.aws/config) or an "
                    + "endpoint URL (http://localhost:8000). "
                    + "Default: AWS_PROFILE, else the default profile and the SDK's default credentials.")
    String env;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile to use (overrides the profile ENV names).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (overrides the profile and AWS_REGION).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint URL (overrides every other endpoint setting).")
    String endpointUrl;

    EnvironmentSpec toSpec() {
        return new EnvironmentSpec(env, profile, region, endpointUrl);
    }
}
