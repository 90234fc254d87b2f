package dev.dynamo.testing;

/**
 * What {@link FaultProxy} does with one request.
 *
 * @param kind    the fault
 * @param status  HTTP status for ERROR
 * @param type    DynamoDB error type for ERROR, e.g. {@code ProvisionedThroughputExceededException}
 * @param millis  delay for DELAY
 * @param share   for PARTIAL_BATCH, the share of write requests that are NOT forwarded (0..1)
 */
public record Fault(Kind kind, int status, String type, long millis, double share) {

    /** The faults the proxy can inject. */
    public enum Kind {
        /** Forward untouched. */
        NONE,
        /** Answer with a DynamoDB error, without forwarding. */
        ERROR,
        /** Reset the connection (TCP RST) before forwarding: the request never reaches the server. */
        RESET_BEFORE,
        /** Forward, then reset instead of answering: the write happened, its answer is lost. */
        RESET_AFTER,
        /** Wait, then forward. */
        DELAY,
        /** BatchWriteItem only: forward part of the batch and return the rest as UnprocessedItems. */
        PARTIAL_BATCH,
        /** Forward, then change one letter of the answer's body but not its CRC32 header: an answer damaged on the way. */
        DAMAGED
    }

    public static final Fault NONE = new Fault(Kind.NONE, 0, null, 0, 0);

    public static Fault throughputExceeded() {
        return error(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
    }

    public static Fault throttling() {
        return error(400, "com.amazon.coral.availability#ThrottlingException");
    }

    public static Fault requestLimitExceeded() {
        return error(400, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded");
    }

    public static Fault internalServerError() {
        return error(500, "com.amazonaws.dynamodb.v20120810#InternalServerError");
    }

    public static Fault serviceUnavailable() {
        return error(503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailableException");
    }

    public static Fault accessDenied() {
        return error(400, "com.amazonaws.dynamodb.v20120810#AccessDeniedException");
    }

    public static Fault expiredToken() {
        return error(400, "com.amazon.coral.service#ExpiredTokenException");
    }

    public static Fault error(int status, String type) {
        return new Fault(Kind.ERROR, status, type, 0, 0);
    }

    public static Fault resetBefore() {
        return new Fault(Kind.RESET_BEFORE, 0, null, 0, 0);
    }

    public static Fault resetAfter() {
        return new Fault(Kind.RESET_AFTER, 0, null, 0, 0);
    }

    public static Fault delay(long millis) {
        return new Fault(Kind.DELAY, 0, null, millis, 0);
    }

    public static Fault damaged() {
        return new Fault(Kind.DAMAGED, 0, null, 0, 0);
    }

    /** Forward only {@code 1 - share} of a BatchWriteItem's requests; return the rest unprocessed. */
    public static Fault partialBatch(double share) {
        return new Fault(Kind.PARTIAL_BATCH, 0, null, 0, share);
    }

    /** The short name of the error type ({@code ThrottlingException}), the kind, or for a delay {@code DELAY(300ms)}. */
    public String label() {
        if (kind == Kind.DELAY) {
            return "DELAY(" + millis + "ms)";
        }
        return type == null ? kind.name() : type.substring(type.indexOf('#') + 1);
    }
}
