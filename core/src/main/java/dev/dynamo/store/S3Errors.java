package dev.dynamo.store;

import dev.dynamo.DynamoException;
import dev.dynamo.env.ServiceErrors;
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the S3 client throws into one line naming the bucket or object, what went wrong and the
 * fix: a usage error (exit 2) for what the user can correct (no such bucket, access denied, wrong
 * region, bad name), a failure (exit 1) for the rest (network, the store's own errors).
 */
final class S3Errors {
    private static final String CREDENTIALS_HINT = "use credentials that may (--s3-profile), or grant them the permission";

    private S3Errors() {
    }

    /**
     * @param endpoint where requests go, for messages ({@code http://127.0.0.1:9000}, {@code AWS (eu-west-1)})
     * @param action   what was being done ({@code "listing"}, {@code "writing"})
     * @param location the object or prefix ({@code s3://bucket/prefix/name})
     */
    static DynamoException translate(S3Location where, String endpoint, String action, String location, SdkException error) {
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
                    ? "" : service.awsErrorDetails().errorCode();
            String message = ServiceErrors.oneLine(service.awsErrorDetails() == null
                    ? service.getMessage() : service.awsErrorDetails().errorMessage());
            if (code.isEmpty()) {
                code = switch (service.statusCode()) {
                    case 301 -> "PermanentRedirect";
                    case 403 -> "AccessDenied";
                    default -> "HTTP " + service.statusCode();
                };
            }
            return switch (code) {
                // bucket 'exports' does not exist (NoSuchBucket) while listing s3://exports/orders: check the name, ...
                case "NoSuchBucket" -> DynamoException.usage("bucket '" + where.bucket() + "' does not exist (NoSuchBucket) while "
                        + action + " " + location + ": check the name, create it first, or name its store with --s3-endpoint-url");
                case "NoSuchKey" -> DynamoException.usage("no object " + location + " (NoSuchKey): the export is incomplete, "
                        + "or the location is wrong");
                case "AccessDenied", "AllAccessDisabled", "AccountProblem", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                        "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidSecurity", "RequestTimeTooSkewed" ->
                        DynamoException.usage("access denied (" + code + ") while " + action + " " + location
                                + (message.isEmpty() ? "" : ": " + message) + "; " + CREDENTIALS_HINT);
                case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException" ->
                        DynamoException.usage("bucket '" + where.bucket() + "' is in another region (" + code + ") while " + action
                                + " " + location + ": name its region with --s3-region");
                case "NotImplemented" -> DynamoException.failure("the S3 endpoint " + endpoint + " does not implement a request "
                        + "made while " + action + " " + location + " (NotImplemented): for an S3-compatible store, name it with "
                        + "--s3-endpoint-url (that turns off the checksum headers such stores refuse)", error);
                case "InvalidBucketName" -> DynamoException.usage("invalid bucket name '" + where.bucket() + "' (" + code + ") in "
                        + location);
                default -> DynamoException.failure("S3 answered " + code + " while " + action + " " + location
                        + (message.isEmpty() ? "" : ": " + message), error);
            };
        }
        String credentials = credentialsFailure(error);
        if (credentials != null) {
            return DynamoException.failure("cannot get AWS credentials for " + location + " while " + action + ": " + credentials
                    + "; name a profile that has them with --s3-profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", error);
        }
        IOException network = ServiceErrors.networkCause(error);
        if (network != null) {
            return DynamoException.failure("cannot reach S3 at " + endpoint + " for " + location + " while " + action + " ("
                    + ServiceErrors.describe(network)
                    + "): check the network, and --s3-endpoint-url if the bucket is not on AWS", error);
        }
        return DynamoException.failure("failed while " + action + " " + location + ": "
                + ServiceErrors.oneLine(String.valueOf(error.getMessage())), error);
    }

    private static String credentialsFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = ServiceErrors.oneLine(cause.getMessage());
            if (message.startsWith("Unable to load credentials") || message.contains("Profile file contained no credentials")) {
                return message.length() > 300 ? message.substring(0, 299) + "…" : message;
            }
        }
        return null;
    }
}
