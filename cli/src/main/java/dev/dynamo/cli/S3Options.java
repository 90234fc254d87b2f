package dev.dynamo.cli;

import dev.dynamo.store.S3Settings;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/** Where the bucket of {@code export --to s3://...} or {@code import --from s3://...} is reached from, when not as the table is. */
final class S3Options {
    @Option(names = "--s3-profile", order = 95, paramLabel = "NAME",
            description = "AWS profile for the bucket (default: the table's environment's credentials).")
    String profile;

    @Option(names = "--s3-region", order = 96, paramLabel = "REGION", description = "The bucket's region (default: the table's).")
    String region;

    @Option(names = "--s3-endpoint-url", order = 97, paramLabel = "URL",
            description = "An S3-compatible endpoint (MinIO, S3Proxy, ...): path-style addressing, checksums only where required.")
    String endpoint;

    S3Settings toSettings() {
        return new S3Settings(profile, region == null ? null : Region.of(region), endpoint == null ? null : URI.create(endpoint));
    }
}
