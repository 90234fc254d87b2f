package dev.dynamo.store;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URI;
import org.apiguardian.api.API;
import software.amazon.awssdk.regions.Region;

/**
 * Where the bucket is reached from, when that differs from the table's environment
 * ({@code --s3-profile}, {@code --s3-region}, {@code --s3-endpoint-url}). Each part is nullable: null
 * means "as the table's environment" for the profile and region, and "AWS itself" for the endpoint
 * (the environment's DynamoDB endpoint is never used for S3).
 *
 * @param profile  the AWS profile whose credentials sign the S3 requests, or null for the environment's
 * @param region   the bucket's region, or null for the environment's
 * @param endpoint an S3-compatible endpoint (MinIO, S3Proxy, LocalStack), or null for AWS
 */
@API(status = INTERNAL, since = "0.1")
public record S3Settings(String profile, Region region, URI endpoint) {

    /** Everything as the table's environment, and AWS's own S3 endpoint. */
    public static S3Settings none() {
        return new S3Settings(null, null, null);
    }
}
