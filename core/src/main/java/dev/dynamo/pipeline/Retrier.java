package dev.dynamo.pipeline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retries calls that failed for a passing reason (throttling, 5xx, the network) with capped
 * exponential backoff and full jitter, up to a limit; counts retries and throttles as it goes.
 * The SDK clients of a copy are built without retries of their own, so every retry is made and
 * counted here. Thread-safe; one per pipeline.
 */
@API(status = INTERNAL, since = "0.1")
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** Why a call failed, which decides what happens next. */
    public enum Failure {
        /** Throttled (ProvisionedThroughputExceeded, ThrottlingException, RequestLimitExceeded): retry later. */
        THROTTLED,
        /** A 5xx answer, a timeout or a network error: retry later. */
        TRANSIENT,
        /** DynamoDB refused the request's content (ValidationException, ...): retrying cannot help; an item is at fault. */
        REJECTED,
        /** Anything else (credentials, access, a missing table): the whole copy stops. */
        FATAL
    }

    private static final Set<String> THROTTLING_CODES = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
            "RequestLimitExceeded", "Throttling", "TooManyRequestsException");
    private static final Set<String> REJECTION_CODES = Set.of("ValidationException", "ItemCollectionSizeLimitExceededException",
            "SerializationException");

    /** Thrown when a call still fails after the last retry; carries the last failure. */
    public static final class RetriesExhaustedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetriesExhaustedException(SdkException last, int retries) {
            super(describe(last) + " (still failing after " + Counts.of(retries, "retry", "retries") + ")", last);
        }

        public SdkException last() {
            return (SdkException) getCause();
        }
    }

    /** A call that may be repeated. */
    @FunctionalInterface
    public interface Call<T> {
        public T call() throws InterruptedException;
    }

    private final Backoff backoff;
    private final int maxRetries;
    private final JobCounters counters;

    public Retrier(Backoff backoff, int maxRetries, JobCounters counters) {
        this.backoff = backoff;
        this.maxRetries = maxRetries;
        this.counters = counters;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /**
     * Runs the call, retrying throttled and transient failures.
     *
     * @throws RetriesExhaustedException when the last retry failed too
     * @throws SdkException              a rejected or fatal failure, at once
     * @throws InterruptedException      when interrupted while waiting to retry (or during the call)
     */
    public <T> T call(Call<T> call) throws InterruptedException {
        for (int retry = 1; ; retry++) {
            try {
                return call.call();
            } catch (SdkException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted during a DynamoDB call");
                }
                Failure failure = classify(e);
                if (failure != Failure.THROTTLED && failure != Failure.TRANSIENT) {
                    throw e;
                }
                if (failure == Failure.THROTTLED) {
                    counters.throttled.increment();
                }
                if (retry > maxRetries) {
                    throw new RetriesExhaustedException(e, maxRetries);
                }
                LOG.info("retry {} of {} after {}", retry, maxRetries, describe(e));
                pause(retry);
            }
        }
    }

    /** Counts a retry and waits before it ({@code retry} counts from 1). */
    public void pause(int retry) throws InterruptedException {
        counters.retried.increment();
        TimeUnit.MILLISECONDS.sleep(backoff.delayMillis(retry));
    }

    public static Failure classify(SdkException error) {
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if ((code != null && THROTTLING_CODES.contains(code)) || service.statusCode() == 429 || service.isThrottlingException()) {
                return Failure.THROTTLED;
            }
            if (service.statusCode() >= 500) {
                return Failure.TRANSIENT;
            }
            if (code != null && REJECTION_CODES.contains(code)) {
                return Failure.REJECTED;
            }
            return Failure.FATAL;
        }
        if (error instanceof ApiCallAttemptTimeoutException || error instanceof Crc32MismatchException) {
            return Failure.TRANSIENT; // a response damaged on the way: asking again is safe (puts and deletes are idempotent)
        }
        if (error instanceof SdkClientException) {
            for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    return Failure.TRANSIENT;
                }
            }
        }
        return Failure.FATAL;
    }

    /** {@code ValidationException: One or more parameter values were invalid: ...}, or the message for other errors. */
    public static String describe(SdkException error) {
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "HTTP " + service.statusCode() : code) + (message == null ? "" : ": " + message);
        }
        String message = String.valueOf(error.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}
