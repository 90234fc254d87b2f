package dev.dynamo.env;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.DynamoException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.apiguardian.api.API;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into one line that names what went wrong, where, and what to do.
 */
@API(status = INTERNAL, since = "0.1")
public final class ServiceErrors {
    private ServiceErrors() {
    }

    /**
     * @param environment where the call went
     * @param action      what was being done, for example {@code "describing table 'Orders'"}
     */
    public static DynamoException translate(Environment environment, String action, SdkException error) {
        String where = environment.describe();
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage();
            return switch (code == null ? "" : code) {
                case "UnrecognizedClientException", "InvalidSignatureException", "InvalidClientTokenId",
                        "SignatureDoesNotMatch", "MissingAuthenticationToken" -> DynamoException.failure(
                        "the credentials for " + where + " were rejected (" + code + ") while " + action
                                + ": check the profile's keys, or refresh them (aws sso login, aws configure)", error);
                case "ExpiredTokenException", "ExpiredToken", "RequestExpired" -> DynamoException.failure(
                        "the credentials for " + where + " have expired (" + code + ") while " + action
                                + ": refresh them (aws sso login --profile ..., or new session keys) and run again", error);
                case "ResourceNotFoundException" -> DynamoException.failure(
                        // table not found in 'dev' (us-east-1) while scanning table 'Orders' (ResourceNotFoundException): it was ...
                        "table not found in " + where + " while " + action + " (" + code + "): it was deleted while the command "
                                + "ran, or the name or environment is wrong; list the tables there with: dynamo tables -e "
                                + environment.name(), error);
                case "AccessDeniedException" -> DynamoException.failure(
                        "access denied in " + where + " while " + action + ": " + oneLine(message)
                                + " (grant the permission, or use another profile)", error);
                default -> DynamoException.failure("DynamoDB in " + where + " answered " + (code == null || code.isEmpty()
                        ? "HTTP " + service.statusCode() : code) + " while " + action + ": " + oneLine(message), error);
            };
        }
        if (error instanceof SdkClientException) {
            // The SDK may wrap the credentials error (an unknown STS host becomes a "helpful" UnknownHost message).
            String text = credentialsFailure(error);
            if (text == null) {
                text = oneLine(String.valueOf(error.getMessage()));
            }
            if (text.startsWith(CheckedCredentialsProvider.FAILURE_PREFIX) || text.contains("Profile file contained no credentials")
                    || text.contains("credentials") && text.toLowerCase(Locale.ROOT).contains("unable to")) {
                // cannot get AWS credentials for 'dev' (eu-west-1) while listing tables, from profile 'dev' (credential_process):
                //   Command returned non-zero exit value (1) with error message: ...; fix the profile (...) or set AWS_ACCESS_KEY_ID ...
                String detail = text.startsWith(CheckedCredentialsProvider.FAILURE_PREFIX)
                        ? ", from " + abbreviate(withoutFinalPeriod(text.substring(CheckedCredentialsProvider.FAILURE_PREFIX.length())))
                        : "";
                return DynamoException.failure("cannot get AWS credentials for " + where + " while " + action + detail
                        + "; fix the profile (aws configure --profile NAME, aws sso login --profile NAME) or set "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", error);
            }
            DamagedAnswer damaged = DamagedAnswer.in(error);
            if (damaged != null) {
                // DynamoDB in 'dev' (us-east-1) gave a damaged Scan answer while scanning table 'Orders' (gave up after 10 retries): no Count
                return DynamoException.failure("DynamoDB in " + where + " gave a damaged " + damaged.operation() + " answer while "
                        + action + ": " + damaged.getMessage(), error);
            }
            IOException network = networkCause(error);
            if (network != null) {
                // The description names the endpoint, if there is one: 'http://localhost:8000' (us-east-1), 'dev' (http://..., eu-west-1)
                String target = environment.endpoint() != null ? where : "the AWS endpoint for " + where;
                return DynamoException.failure("cannot reach " + target + " while " + action + " ("
                        + describe(network) + "): check that DynamoDB is running there and the --env/--endpoint-url is right",
                        error);
            }
        }
        return DynamoException.failure("failed while " + action + " in " + where + ": " + oneLine(String.valueOf(error.getMessage())),
                error);
    }

    private static String credentialsFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = oneLine(cause.getMessage());
            if (message.startsWith(CheckedCredentialsProvider.FAILURE_PREFIX)) {
                return message;
            }
        }
        return null;
    }

    /**
     * Whether nothing listens where the error was going (connection refused): on the first call to an
     * environment that is a wrong endpoint or a server not started, which retrying for half a minute
     * in silence does not fix; later in a run (a server restarting) it is retried like other network errors.
     */
    public static boolean refused(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof IOException && cause.getClass().getName().contains("HttpHostConnect")) {
                return true;
            }
        }
        return false;
    }

    /** The network failure behind {@code error} (refused, unknown host, no route, timed out, TLS), or null. */
    public static IOException networkCause(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                    || cause instanceof SSLException) {
                return (IOException) cause;
            }
            if (cause instanceof IOException io && cause.getClass().getName().contains("HttpHostConnect")) {
                return io;
            }
        }
        return null;
    }

    /** A network failure in a few words: {@code connection refused}, {@code unknown host x}, {@code timed out}. */
    public static String describe(IOException network) {
        if (network instanceof UnknownHostException) {
            return "unknown host " + network.getMessage();
        }
        if (network instanceof ConnectException || network.getClass().getName().contains("HttpHostConnect")) {
            return "connection refused";
        }
        if (network instanceof SocketTimeoutException) {
            return "timed out";
        }
        return oneLine(network.getClass().getSimpleName() + ": " + network.getMessage());
    }

    private static final int MAX_DETAIL_CHARS = 300;

    /** Cuts the SDK's longest messages (the default chain lists every provider it tried). */
    private static String abbreviate(String text) {
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS - 1) + "…";
    }

    /** The SDK ends some messages with a period; the line goes on after it ("...for 'dev'.; fix the profile"). */
    private static String withoutFinalPeriod(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** The message's first line, without the SDK's trailing request metadata. */
    public static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("").trim();
        int metadata = line.indexOf(" (Service: ");
        return metadata > 0 ? line.substring(0, metadata) : line;
    }
}
