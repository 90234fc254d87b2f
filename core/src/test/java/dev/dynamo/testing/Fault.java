package dev.dynamo.testing;

/**
 * What {@link FaultProxy} does with one request.
 *
 * @param kind    the fault
 * @param status  HTTP status for ERROR
 * @param type    DynamoDB error type for ERROR, e.g. {@code ProvisionedThroughputExceededException}
 * @param millis  delay for DELAY; the pause between bytes for TRICKLE; the body's size in bytes for HUGE
 * @param share   for PARTIAL_BATCH, the share of write requests that are NOT forwarded (0..1)
 * @param forward for ANSWERED, whether the request reaches the server first; for HUGE, whether the answer declares its
 *                Content-Length (or is ended by closing the connection)
 * @param answer  for ANSWERED, the body to answer with
 */
public record Fault(Kind kind, int status, String type, long millis, double share, boolean forward, Answer answer) {

    /** The body of a 200 answer made from the request's body and the server's answer (null when not forwarded). */
    @FunctionalInterface
    public interface Answer {
        String body(String request, String serverAnswer) throws java.io.IOException;
    }

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
        DAMAGED,
        /**
         * Forward or not, then answer 200 with a body of the fault's making and a CRC32 that matches it: a well-formed
         * answer that is wrong (as from a broken proxy or a server bug), which only its content can give away.
         */
        ANSWERED,
        /** Forward, then send the answer's headers (its full Content-Length) and half its body, and close the connection. */
        TRUNCATED,
        /** Forward, then send the answer's headers and its body one byte at a time, {@code millis} apart. */
        TRICKLE,
        /** Do not forward; answer 200 with a body of {@code millis} bytes (a JSON page padded with spaces), streamed. */
        HUGE,
        /** Forward, then pass the answer on without its x-amz-crc32 header. */
        NO_CRC
    }

    public static final Fault NONE = new Fault(Kind.NONE, 0, null, 0, 0, false, null);

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
        return new Fault(Kind.ERROR, status, type, 0, 0, false, null);
    }

    public static Fault resetBefore() {
        return new Fault(Kind.RESET_BEFORE, 0, null, 0, 0, false, null);
    }

    public static Fault resetAfter() {
        return new Fault(Kind.RESET_AFTER, 0, null, 0, 0, false, null);
    }

    public static Fault delay(long millis) {
        return new Fault(Kind.DELAY, 0, null, millis, 0, false, null);
    }

    public static Fault damaged() {
        return new Fault(Kind.DAMAGED, 0, null, 0, 0, false, null);
    }

    /** Forward, then pass the answer on without its x-amz-crc32 header (as a rewriting proxy would). */
    public static Fault noCrc() {
        return new Fault(Kind.NO_CRC, 0, null, 0, 0, false, null);
    }

    /** Forward, then cut the answer's body in half and close the connection. */
    public static Fault truncated() {
        return new Fault(Kind.TRUNCATED, 0, null, 0, 0, false, null);
    }

    /** Forward, then send the answer one byte every {@code millis} ms. */
    public static Fault trickle(long millis) {
        return new Fault(Kind.TRICKLE, 0, null, millis, 0, false, null);
    }

    /** Answer 200 with {@code bytes} bytes of body, with or without a Content-Length saying so, without forwarding. */
    public static Fault huge(long bytes, boolean declared) {
        return new Fault(Kind.HUGE, 0, null, bytes, 0, declared, null);
    }

    /** Forward only {@code 1 - share} of a BatchWriteItem's requests; return the rest unprocessed. */
    public static Fault partialBatch(double share) {
        return new Fault(Kind.PARTIAL_BATCH, 0, null, 0, share, false, null);
    }

    /**
     * Answers 200 with {@code answer}'s body (and a CRC32 that matches it), after passing the request on
     * when {@code forward}; {@code name} labels it in the proxy's counts.
     */
    public static Fault answered(String name, boolean forward, Answer answer) {
        return new Fault(Kind.ANSWERED, 0, name, 0, 0, forward, answer);
    }

    /** The short name of the error type ({@code ThrottlingException}), the kind, or for a delay {@code DELAY(300ms)}. */
    public String label() {
        if (kind == Kind.DELAY) {
            return "DELAY(" + millis + "ms)";
        }
        if (kind == Kind.ANSWERED) {
            return "ANSWERED(" + type + ")";
        }
        return type == null ? kind.name() : type.substring(type.indexOf('#') + 1);
    }
}
