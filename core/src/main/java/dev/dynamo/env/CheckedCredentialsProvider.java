package dev.dynamo.env;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Wraps an environment's credentials provider so that every way of failing to get credentials
 * reaches the caller as one recognisable {@link SdkClientException}, whose message starts with
 * {@value #FAILURE_PREFIX} and names where the credentials were looked for and why they could not
 * be had.
 *
 * <p>Why: the SDK's providers fail in several shapes. A failing {@code credential_process} throws an
 * {@code IllegalStateException}, which no {@code catch (SdkException)} sees and which was reported
 * as an internal error; an unreachable STS or SSO endpoint throws a network error, which was
 * reported as "cannot reach" the DynamoDB endpoint. {@link ServiceErrors} turns the wrapped error
 * into one line about credentials.
 *
 * <p>Thread-safe when the delegate is (every SDK provider is).
 */
final class CheckedCredentialsProvider implements AwsCredentialsProvider {
    /** How the message of every credentials failure starts (the SDK's own providers say the same). */
    static final String FAILURE_PREFIX = "Unable to load credentials from ";

    private final AwsCredentialsProvider delegate;
    private final String source;

    /**
     * @param source where the credentials come from, for messages, e.g. {@code profile 'dev' (credential_process)}
     */
    CheckedCredentialsProvider(AwsCredentialsProvider delegate, String source) {
        this.delegate = delegate;
        this.source = source;
    }

    /** The provider that does the work. */
    AwsCredentialsProvider delegate() {
        return delegate;
    }

    /** Where the credentials come from, as messages put it. */
    String source() {
        return source;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return delegate.resolveCredentials();
        } catch (RuntimeException e) {
            throw SdkClientException.builder()
                    .message(FAILURE_PREFIX + source + ": " + reason(e))
                    .cause(e)
                    .build();
        }
    }

    /** The most specific message in the cause chain, on one line. */
    private static String reason(Throwable error) {
        if (String.valueOf(error.getMessage()).startsWith("Unable to load credentials from any of the providers")) {
            // The SDK's chain lists every provider it tried and why, in one very long line.
            return "none of them has credentials";
        }
        String reason = null;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !message.isBlank()) {
                reason = cause instanceof java.net.UnknownHostException ? "unknown host " + message : message;
            }
        }
        return reason == null ? error.getClass().getSimpleName() : ServiceErrors.oneLine(reason);
    }

    @Override
    public String toString() {
        return "CheckedCredentialsProvider(" + source + ")";
    }
}
