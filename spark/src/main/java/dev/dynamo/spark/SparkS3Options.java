package dev.dynamo.spark;

import dev.dynamo.store.S3Settings;
import java.io.Serializable;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;

/**
 * Where an {@code s3://} location of a Spark job (export's {@code --to}, import's {@code --from}, a checkpoint, dead
 * letters) is reached from, when not as the table is: the command line's {@code --s3-*} options, as a mixin. What the
 * tasks receive is the serializable {@link Description}.
 */
final class SparkS3Options {
    @Option(names = "--s3-profile", paramLabel = "NAME",
            description = "AWS profile for the bucket (default: the table's environment's credentials).")
    String profile;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "The bucket's region (default: the table's).")
    String region;

    @Option(names = "--s3-endpoint-url", paramLabel = "URL",
            description = "An S3-compatible endpoint (MinIO, S3Proxy, ...): path-style addressing, checksums only where required.")
    String endpoint;

    Description description() {
        return new Description(profile, region, endpoint);
    }

    /**
     * The options as a task receives them.
     *
     * @param profile  the AWS profile for the bucket, or null for the table's environment's
     * @param region   the bucket's region, or null for the table's
     * @param endpoint an S3-compatible endpoint, or null for AWS
     */
    record Description(String profile, String region, String endpoint) implements Serializable {
        S3Settings toSettings() {
            return new S3Settings(profile, region == null ? null : Region.of(region), endpoint == null ? null : URI.create(endpoint));
        }
    }
}
