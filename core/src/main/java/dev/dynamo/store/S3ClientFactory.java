package dev.dynamo.store;

import dev.dynamo.env.Environment;
import dev.dynamo.env.EnvironmentResolver;
import dev.dynamo.env.EnvironmentSpec;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the one {@link S3Client} of a store, as {@code DynamoClientFactory} builds DynamoDB's: the
 * Apache HTTP client with timeouts, the SDK's standard retries.
 */
final class S3ClientFactory {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECTION_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECTION_MAX_IDLE = Duration.ofSeconds(30);
    /** One attempt of a call: long enough to send an 8 MiB part at about 250 kbit/s. */
    private static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofMinutes(5);
    /** Export and import run up to a few dozen workers, each with at most one call in flight. */
    private static final int MAX_CONNECTIONS = 64;

    private S3ClientFactory() {
    }

    /**
     * The client for {@code where}: credentials from {@code s3.profile()} if given, else the environment's;
     * region {@code s3.region()}, else the environment's; endpoint {@code s3.endpoint()}, else AWS's (never
     * the environment's DynamoDB endpoint).
     */
    static S3Client create(S3Location where, Environment env, S3Settings s3, EnvironmentResolver resolver) {
        AwsCredentialsProvider credentials = s3.profile() == null ? env.credentials()
                : resolver.resolve(new EnvironmentSpec(null, s3.profile(), null, null)).credentials();
        Region region = s3.region() != null ? s3.region() : env.region();
        var builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .connectionAcquisitionTimeout(CONNECTION_ACQUIRE_TIMEOUT)
                        .connectionMaxIdleTime(CONNECTION_MAX_IDLE)
                        .tcpKeepAlive(true)
                        .useIdleConnectionReaper(true))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT)
                        .build());
        if (s3.endpoint() != null) {
            // S3-compatible stores: no virtual-host buckets (no DNS for them), and no trailing checksums or
            // aws-chunked bodies, which S3Proxy and others answer with NotImplemented. Content-MD5 still guards PUTs.
            builder.endpointOverride(s3.endpoint())
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        } else {
            // A bucket in another region than the environment's is found, rather than failing with a redirect.
            builder.crossRegionAccessEnabled(true);
        }
        return builder.build();
    }
}
