package dev.dynamo.env;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the one {@link DynamoDbClient} an environment gets. The client is thread-safe and meant to
 * be shared by every worker of a command; build it once per environment and close it at the end.
 */
@API(status = STABLE, since = "0.1")
public final class DynamoClientFactory {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECTION_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECTION_MAX_IDLE = Duration.ofSeconds(30);
    /** How long one attempt of a call may take by default before it is abandoned (and, in copy and verify, retried). */
    public static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MIN_CONNECTIONS = 16;

    private DynamoClientFactory() {
    }

    /**
     * A client for the environment with a connection pool large enough for {@code workers} threads
     * calling it at once.
     *
     * @param sdkRetries how many times the SDK itself retries a failed call (network errors, 5xx,
     *                   throttling) before the caller sees the error; the copy engine passes a small
     *                   number and does its own capped backoff on top
     * @param attemptTimeout how long one attempt may take before the SDK abandons it (and the socket
     *                   timeout, when shorter than its default)
     */
    public static DynamoDbClient create(Environment environment, int workers, int sdkRetries, Duration attemptTimeout) {
        var builder = DynamoDbClient.builder()
                .region(environment.region())
                .credentialsProvider(environment.credentials())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(MIN_CONNECTIONS, workers * 2))
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(attemptTimeout.compareTo(SOCKET_TIMEOUT) < 0 ? attemptTimeout : SOCKET_TIMEOUT)
                        .connectionAcquisitionTimeout(CONNECTION_ACQUIRE_TIMEOUT)
                        .connectionMaxIdleTime(CONNECTION_MAX_IDLE)
                        .tcpKeepAlive(true)
                        .useIdleConnectionReaper(true))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(new RawBodies(environment.endpoint() == null))
                        .apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(b -> b.maxAttempts(sdkRetries + 1))
                        .build());
        if (environment.endpoint() != null) {
            builder.endpointOverride(environment.endpoint());
        }
        return builder.build();
    }

    /** A client for commands that make a few calls from one thread (query, describe, tables). */
    public static DynamoDbClient create(Environment environment) {
        return create(environment, 1, 2, API_CALL_ATTEMPT_TIMEOUT);
    }
}
