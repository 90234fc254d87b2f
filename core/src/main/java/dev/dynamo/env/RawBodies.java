package dev.dynamo.env;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.dynamo.Counts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterInputStream;
import java.util.Optional;
import java.util.zip.CRC32;
import org.apiguardian.api.API;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Lets the copy engine handle the items of its hottest calls as the JSON bytes DynamoDB sends,
 * while the SDK keeps doing everything else (credentials, signing, endpoints, retries, errors).
 * Turning a 1 MB Scan page into SDK objects, copying them three times, and turning them back into
 * BatchWriteItem JSON was most of the client's CPU in a copy; the items' bytes are what DynamoDB
 * wants back anyway.
 *
 * <p>Both hooks are per request, through execution attributes set on the request's override
 * configuration, and do nothing for requests without them:
 * <ul>
 *   <li>{@link #REQUEST_BODY}: the request is sent with exactly these bytes as its body (signed,
 *       its {@code Content-Length} set), whatever the SDK marshalled.</li>
 *   <li>{@link #RESPONSE_FILTER}: a successful response's body is read whole, its CRC32 checked
 *       against DynamoDB's {@code x-amz-crc32} header (a mismatch is the SDK's retryable
 *       {@link Crc32MismatchException}), and handed to the filter; the SDK then parses what the
 *       filter returns. Error responses are left to the SDK.</li>
 * </ul>
 *
 * <p>Every response body, of every call, is read through a cap ({@link #capFor}): DynamoDB's answers
 * are bounded, and a larger one (a broken proxy, a wrong endpoint streaming a file) is a
 * {@link DamagedAnswer} instead of an OutOfMemoryError. A body cut short or stalled until the attempt
 * timeout is an {@link SdkClientException} caused by the {@link IOException}: a network error, retried.
 *
 * <p>A successful answer without DynamoDB's {@code x-amz-crc32} header is damaged once the endpoint is
 * known to send it (see {@link #crcExpected}): without it, nothing shows an answer changed on the way.
 *
 * <p>One instance per client {@link DynamoClientFactory} builds. Thread-safe (its one field is
 * volatile); with a sync client every hook of a call runs on the calling thread.
 */
@API(status = INTERNAL, since = "0.1")
public final class RawBodies implements ExecutionInterceptor {
    /** Send these bytes as the request's body. */
    public static final ExecutionAttribute<byte[]> REQUEST_BODY = new ExecutionAttribute<>("dynamo.RequestBody");
    /** See a successful response's body first, and give the SDK another to parse. */
    public static final ExecutionAttribute<ResponseFilter> RESPONSE_FILTER = new ExecutionAttribute<>("dynamo.ResponseFilter");
    /** The response's CRC32 header, kept when it is taken off the response (the SDK would check it against the filtered body). */
    private static final ExecutionAttribute<String> CRC32_HEADER = new ExecutionAttribute<>("dynamo.ResponseCrc32");
    private static final String CRC32 = "x-amz-crc32";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    /** Sees a successful response's body before the SDK does. */
    @FunctionalInterface
    public interface ResponseFilter {
        /**
         * @param body the whole body, its CRC32 checked
         * @return the body the SDK parses instead
         * @throws IOException if the body is not what the filter expects (the call fails)
         */
        byte[] filter(byte[] body) throws IOException;
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(REQUEST_BODY);
        if (body == null) {
            return context.requestBody();
        }
        return Optional.of(RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(body), body.length, CONTENT_TYPE));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(REQUEST_BODY);
        if (body == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder().putHeader("Content-Length", Integer.toString(body.length)).build();
    }

    /**
     * Whether every successful answer must carry {@code x-amz-crc32}: from the start for AWS's own
     * endpoints (DynamoDB sends it with every answer), and for another endpoint once it has sent one
     * (dynalite does; an endpoint that never does is taken as it is).
     */
    private volatile boolean crcExpected;

    /** One per client: {@code awsEndpoint} when it talks to DynamoDB itself (no endpoint override). */
    public RawBodies(boolean awsEndpoint) {
        this.crcExpected = awsEndpoint;
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        if (!response.isSuccessful()) {
            return response;
        }
        Optional<String> crc = response.firstMatchingHeader(CRC32);
        if (crc.isPresent()) {
            crcExpected = true;
        } else if (crcExpected) {
            // Something between rewrote the answer (and may have changed it), or it is not DynamoDB's: asked again.
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            throw DamagedAnswer.of(operation, "no x-amz-crc32 header, which this endpoint sends with every answer");
        }
        if (attributes.getAttribute(RESPONSE_FILTER) == null || crc.isEmpty()) {
            return response;
        }
        attributes.putAttribute(CRC32_HEADER, crc.get());
        return response.toBuilder().removeHeader(CRC32).build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> content = context.responseBody();
        if (content.isEmpty()) {
            return content;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        long cap = capFor(operation);
        Optional<String> length = context.httpResponse().firstMatchingHeader("Content-Length");
        if (length.isPresent()) {
            long declared;
            try {
                declared = Long.parseLong(length.get().trim());
            } catch (NumberFormatException e) {
                throw DamagedAnswer.of(operation, "Content-Length '" + length.get() + "' is not a number");
            }
            if (declared > cap) {
                // Refused before a byte of it is read: DynamoDB never sends this much for one call.
                throw DamagedAnswer.of(operation, "a body of " + Counts.of(declared, "byte", "bytes") + ", more than the " + cap / MIB + " MiB any " + operation
                        + " answer can need");
            }
        }
        InputStream capped = new CappedStream(content.get(), cap, operation);
        ResponseFilter filter = attributes.getAttribute(RESPONSE_FILTER);
        if (filter == null || !context.httpResponse().isSuccessful()) {
            return Optional.of(capped);
        }
        // The header is still on the response or already taken off it, depending on which hook ran first.
        String crc = context.httpResponse().firstMatchingHeader(CRC32).orElseGet(() -> attributes.getAttribute(CRC32_HEADER));
        attributes.putAttribute(CRC32_HEADER, null);
        byte[] body;
        try (InputStream in = capped) {
            body = in.readAllBytes();
        } catch (DamagedAnswer e) {
            throw DamagedAnswer.of(operation, e.getMessage());
        } catch (IOException e) {
            // A body cut short (the connection closed before Content-Length was reached) or abandoned at the attempt
            // timeout (one trickling in): an IOException as the cause makes it a network error, retried like the others.
            throw SdkClientException.create("cannot read DynamoDB's " + operation + " answer: " + e, e);
        }
        if (crc != null) {
            CRC32 checksum = new CRC32();
            checksum.update(body);
            if (checksum.getValue() != Long.parseLong(crc)) {
                throw Crc32MismatchException.builder()
                        .message("Expected " + crc + " as the CRC32 of DynamoDB's response but got " + checksum.getValue())
                        .build();
            }
        }
        try {
            return Optional.of(new ByteArrayInputStream(filter.filter(body)));
        } catch (IOException e) {
            throw SdkClientException.create("Unexpected response from DynamoDB: " + e.getMessage(), e);
        }
    }

    private static final long MIB = 1024 * 1024;
    /**
     * The largest body read for a Scan, Query or any other call but the batch ones. A Scan or Query page
     * holds at most 1 MB of items as DynamoDB counts them, plus the item that crosses the line (400 KB);
     * the JSON of an item is at most about 7.5 times its counted size (a list of BOOLs: 2 bytes counted,
     * {@code {"BOOL":false},} written), so a real page is below 11 MB. Other calls answer in kilobytes.
     */
    static final long CAP = 16 * MIB;
    /**
     * The largest body read for a BatchGetItem or BatchWriteItem: up to 16 MB of items (read, or sent
     * back unprocessed) at the same 7.5 times, below 121 MB.
     */
    static final long BATCH_CAP = 128 * MIB;

    /** The most bytes an answer to {@code operation} may hold. */
    static long capFor(String operation) {
        return "BatchGetItem".equals(operation) || "BatchWriteItem".equals(operation) ? BATCH_CAP : CAP;
    }

    /** Reads at most {@code cap} bytes; one more is a {@link DamagedAnswer}, so a runaway answer never fills the heap. */
    private static final class CappedStream extends FilterInputStream {
        private final long cap;
        private final String operation;
        private long read;

        CappedStream(InputStream in, long cap, String operation) {
            super(in);
            this.cap = cap;
            this.operation = operation;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws DamagedAnswer {
            read += n;
            if (read > cap) {
                throw DamagedAnswer.asIOException(operation, "a body of more than " + cap / MIB + " MiB, more than any " + operation
                        + " answer can need");
            }
        }
    }
}
